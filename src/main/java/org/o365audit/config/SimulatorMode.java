package org.o365audit.config;

/** {@code o365.simulator.mode}: when the built-in simulated tenant runs. */
public enum SimulatorMode {
    /** Only while nothing real is configured: no tenant, no sink but the demo's, the embedded database. */
    AUTO,
    /** Always, beside whatever is configured (tests, a demo next to a real tenant). */
    ALWAYS,
    /** Never. */
    NEVER
}
