package org.o365audit.sink;

/**
 * The destination refuses the request for a reason a person has to fix: credentials, URL, index, a redirect,
 * a request it will not read. Not a verdict about any record: the batch stays pending, nothing is set aside,
 * and the sink is shown as refused (status page, Sink MBean, readiness, metric) until the destination takes it.
 */
public class SinkRefusedException extends RuntimeException {
    private final String kind;

    /**
     * @param kind what kind of refusal this is, e.g. {@code webhook answered HTTP 401}: the message starts with
     *             it; a new kind is logged, a repeat is not
     * @param detail the destination's own words, short (empty for none)
     */
    public SinkRefusedException(String kind, String detail) {
        super(detail == null || detail.isBlank() ? kind : kind + ": " + detail);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
