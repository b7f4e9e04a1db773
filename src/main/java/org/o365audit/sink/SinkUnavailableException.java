package org.o365audit.sink;

/** The destination cannot take the batch now (busy, throttling, down): the same batch is sent again later. */
public class SinkUnavailableException extends RuntimeException {
    public SinkUnavailableException(String message) {
        super(message);
    }

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
