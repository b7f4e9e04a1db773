package org.o365audit.api;

/**
 * An error answer of the Management Activity API, with its HTTP status and its AF error code
 * ({@code {"error":{"code":"AF20022","message":...}}}). The message names tenant, content type and call.
 */
public class ManagementApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ManagementApiException(String context, int status, String code, String detail) {
        super(context + ": HTTP " + status + (code == null ? "" : " " + code) + (detail == null || detail.isBlank() ? "" : " " + detail));
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean is(String afCode) {
        return afCode.equalsIgnoreCase(code);
    }

    /** 429, or AF429 which the API also sends as HTTP 403. */
    public boolean throttled() {
        return status == 429 || is("AF429");
    }

    /** 5xx and the API's internal errors are worth another try. */
    public boolean retriable() {
        return status >= 500 || (code != null && code.toUpperCase().startsWith("AF5"));
    }
}
