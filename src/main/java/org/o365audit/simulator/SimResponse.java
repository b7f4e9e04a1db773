package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer decided by a handler: status, headers and a body that is either bytes or streamed. */
final class SimResponse {

    static final String JSON_UTF8 = "application/json; charset=utf-8";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private final BodyWriter stream;

    private SimResponse(int status, String contentType, byte[] body, BodyWriter stream) {
        this.status = status;
        this.body = body;
        this.stream = stream;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    static SimResponse json(int status, JsonNode node) {
        return new SimResponse(status, JSON_UTF8, Json.bytes(node), null);
    }

    static SimResponse bytes(int status, String contentType, byte[] body) {
        return new SimResponse(status, contentType, body, null);
    }

    /** Served with chunked transfer encoding; the body is never held in memory. */
    static SimResponse streamed(int status, String contentType, BodyWriter writer) {
        return new SimResponse(status, contentType, null, writer);
    }

    static SimResponse empty(int status) {
        return new SimResponse(status, null, new byte[0], null);
    }

    SimResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    void send(HttpExchange exchange) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (stream != null) {
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                stream.writeTo(out);
            }
        } else if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
