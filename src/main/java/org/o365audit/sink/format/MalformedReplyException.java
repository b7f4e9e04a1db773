package org.o365audit.sink.format;

/**
 * A destination answered with something that is not the reply its protocol defines (an HTML error page from
 * a proxy, a reply for a different request). Nothing can be concluded about which records arrived.
 */
public class MalformedReplyException extends RuntimeException {
    public MalformedReplyException(String message) {
        super(message);
    }

    public MalformedReplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
