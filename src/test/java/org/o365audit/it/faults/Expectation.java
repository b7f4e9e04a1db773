package org.o365audit.it.faults;

/** What the collector must do with one element of a blob: the two outcomes the fault suite counts. */
public enum Expectation {
    /** One row in {@code audit_event} under its Id, the raw JSON kept. */
    STORED,
    /** One row of its own in {@code quarantine}, with its payload and a reason; nothing in {@code audit_event}. */
    QUARANTINED
}
