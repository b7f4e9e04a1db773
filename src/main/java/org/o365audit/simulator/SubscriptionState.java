package org.o365audit.simulator;

/** State of one content-type subscription of a simulated tenant. */
public enum SubscriptionState {
    /** Never started: listing answers AF20022. */
    NONE,
    /** Started: listing and retrieval work. */
    ENABLED,
    /** Stopped or disabled by an admin: listing answers AF20023. */
    DISABLED
}
