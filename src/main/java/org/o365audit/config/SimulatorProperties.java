package org.o365audit.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** {@code o365.simulator.*}: the built-in simulated tenant used while nothing real is configured. */
public class SimulatorProperties {
    /** auto: on while no tenant, no sink but the demo's and no database but the embedded one is configured. */
    @NotNull
    private SimulatorMode mode = SimulatorMode.AUTO;
    /** HTTPS port of the simulated Microsoft endpoints; 0 picks a free one. */
    private int port = 0;
    /** How much history the simulated tenant holds at start. */
    private Duration history = Duration.ofDays(7);
    /** One blob per content type per this interval of history. */
    private Duration blobInterval = Duration.ofMinutes(30);
    /** A new live blob per content type this often. */
    private Duration trickle = Duration.ofSeconds(20);

    public SimulatorMode getMode() {
        return mode;
    }

    public void setMode(SimulatorMode mode) {
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
