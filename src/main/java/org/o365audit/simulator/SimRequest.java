package org.o365audit.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** An incoming request, read once: method, decoded path, query, headers and a bounded body. */
final class SimRequest {

    private static final int MAX_BODY = 1 << 20;

    private final HttpExchange exchange;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> queryIgnoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final byte[] body;

    private SimRequest(HttpExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.path = exchange.getRequestURI().getPath();
        this.query = Collections.unmodifiableMap(parseForm(exchange.getRequestURI().getRawQuery()));
        this.queryIgnoringCase.putAll(query);
        this.body = body;
    }

    static SimRequest read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY);
            in.transferTo(OutputStream.nullOutputStream()); // drop any excess so the connection can be reused
            return new SimRequest(exchange, body);
        }
    }

    /** Parses {@code a=1&b=2} (query strings and form bodies); the last value of a repeated name wins. */
    static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(decode(name), decode(value));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape is kept as sent, as a lenient server would
        }
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return path;
    }

    /** Query parameters as sent. */
    Map<String, String> query() {
        return query;
    }

    /** A query parameter looked up case-insensitively, as the real (ASP.NET) service does. */
    String param(String name) {
        return queryIgnoringCase.get(name);
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The body as JSON (an empty object when there is none); a body that is not JSON answers Graph's 400. */
    com.fasterxml.jackson.databind.JsonNode json() {
        if (body.length == 0) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new GraphApi.GraphError(400, "BadRequest", "Unable to read JSON request payload.");
        }
    }

    Map<String, String> form() {
        return parseForm(new String(body, StandardCharsets.UTF_8));
    }

    /** The token of an {@code Authorization: Bearer ...} header, or null when there is none. */
    String bearerToken() {
        String header = header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** This request as tests see it afterwards. */
    RecordedRequest recorded(Instant at, int status) {
        return new RecordedRequest(at, method(), path, query, header("Authorization"), status);
    }
}
