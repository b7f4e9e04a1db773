package org.o365audit.config;

import java.time.Duration;

/** {@code o365.simulator.*}: the built-in simulated tenant used when no tenant is configured. */
public class SimulatorProperties {
    /** auto: on when no tenant is configured; always: on next to real tenants; never: off. */
    private String mode = "auto";
    /** HTTPS port of the simulated Microsoft endpoints; 0 picks a free one. */
    private int port = 0;
    /** How much history the simulated tenant holds at start. */
    private Duration history = Duration.ofDays(7);
    /** One blob per content type per this interval of history. */
    private Duration blobInterval = Duration.ofMinutes(30);
    /** A new live blob per content type this often. */
    private Duration trickle = Duration.ofSeconds(20);

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public Duration getHistory() {
        return history;
    }

    public void setHistory(Duration history) {
        this.history = history;
    }

    public Duration getBlobInterval() {
        return blobInterval;
    }

    public void setBlobInterval(Duration blobInterval) {
        this.blobInterval = blobInterval;
    }

    public Duration getTrickle() {
        return trickle;
    }

    public void setTrickle(Duration trickle) {
        this.trickle = trickle;
    }
}
