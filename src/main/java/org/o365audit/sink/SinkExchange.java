package org.o365audit.sink;

/** Exchange properties a sink route carries (properties, not headers: they must never become HTTP headers). */
public final class SinkExchange {
    /** The sink's name (its key under o365.sinks, or the template's name parameter). */
    public static final String SINK = "O365Sink";
    public static final String BATCH_SIZE = "O365SinkBatchSize";
    public static final String LINGER_MILLIS = "O365SinkLingerMillis";
    public static final String START = "O365SinkStart";
    public static final String FILTER = "O365SinkFilter";
    public static final String FILTER_LANGUAGE = "O365SinkFilterLanguage";
    /** True while the claimed batches are full: the route loops on. */
    public static final String MORE = "O365SinkMore";
    /** The batch as claimed, before the filter. */
    public static final String CLAIMED = "O365SinkClaimed";
    /** True when the claimed batch holds set-aside records sent again (SetAsideResends). */
    public static final String RESEND = "O365SinkResend";
    /** The batch the filter kept (the one sent). */
    public static final String KEPT = "O365SinkKept";
    /** How many of the kept records were set aside. */
    public static final String SET_ASIDE = "O365SinkSetAside";
    /** Why the destination refused a batch for good. */
    public static final String REASON = "O365SinkReason";
    /** A Retry-After the destination asked for, in seconds or as an HTTP date. */
    public static final String RETRY_AFTER = "O365SinkRetryAfter";

    private SinkExchange() {
    }
}
