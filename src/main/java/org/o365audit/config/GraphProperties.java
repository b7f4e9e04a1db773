package org.o365audit.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** {@code o365.graph.*}: how often the Microsoft Graph components of each tenant run. */
public class GraphProperties {
    /** Accounts and groups: one delta round (users, then groups with membership) every interval. */
    @NotNull
    private Duration accountsInterval = Duration.ofMinutes(15);

    /** Third-party apps: the inventory is read again every interval. */
    @NotNull
    private Duration appsInterval = Duration.ofHours(1);

    /** Graph sign-ins: the sign-in log is read every interval. */
    @NotNull
    private Duration signinsInterval = Duration.ofMinutes(5);

    /**
     * Files: how often the activities that touch files are looked at (new file and sharing activities since the
     * last look) and the files they name are read again from Graph.
     */
    @NotNull
    private Duration filesInterval = Duration.ofMinutes(1);

    public Duration getFilesInterval() {
        return filesInterval;
    }

    public void setFilesInterval(Duration filesInterval) {
        this.filesInterval = filesInterval;
    }

    public Duration getAccountsInterval() {
        return accountsInterval;
    }

    public void setAccountsInterval(Duration accountsInterval) {
        this.accountsInterval = accountsInterval;
    }

    public Duration getAppsInterval() {
        return appsInterval;
    }

    public void setAppsInterval(Duration appsInterval) {
        this.appsInterval = appsInterval;
    }

    public Duration getSigninsInterval() {
        return signinsInterval;
    }

    public void setSigninsInterval(Duration signinsInterval) {
        this.signinsInterval = signinsInterval;
    }

    /** The interval of a Graph component. */
    public Duration intervalOf(TenantComponent c) {
        return switch (c) {
            case ACCOUNTS -> accountsInterval;
            case APPS -> appsInterval;
            case SIGNINS -> signinsInterval;
            case FILES -> filesInterval;
            default -> throw new IllegalArgumentException(c.key() + " has no Graph schedule");
        };
    }

    /**
     * How often a component's trigger ticks: its interval, at most a minute; whether a tick runs it is decided by
     * graph.GraphSchedule, so that a tick Quartz skips costs a minute, not an interval.
     */
    public Duration tickOf(TenantComponent c) {
        Duration interval = intervalOf(c);
        return interval.compareTo(Duration.ofMinutes(1)) < 0 ? interval : Duration.ofMinutes(1);
    }
}
