package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Management Activity API error: {@code {"error":{"code":"AFxxxxx","message":"..."}}} with an HTTP status. */
class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    SimResponse toResponse() {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", getMessage());
        return SimResponse.json(status, root);
    }
}
