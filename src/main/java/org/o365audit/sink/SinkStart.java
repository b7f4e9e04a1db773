package org.o365audit.sink;

/** Where a sink that has never run starts: with everything stored (the default), or with what comes next. */
public enum SinkStart {
    EARLIEST, LATEST;

    public static SinkStart of(String s) {
        return s == null || s.isBlank() ? EARLIEST : valueOf(s.trim().toUpperCase());
    }
}
