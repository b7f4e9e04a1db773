package org.o365audit.govern;

import java.time.Instant;

/**
 * What came of a governance action, audited (table governance_action, and the same as an event to the sinks) and
 * returned to the caller (the route's body, the REST answer, the JMX operation's text).
 *
 * @param outcome          {@value #DONE}, {@value #ALREADY}, {@value #WOULD_CHANGE}, {@value #NOTHING_TO_DO},
 *                         {@value #REFUSED} or {@value #FAILED}
 * @param detail           the exact human explanation: what changed, would change, or why not
 * @param microsoftStatus  the HTTP status of Graph's last answer that decided the outcome, or null when none was asked
 * @param microsoftAnswer  Graph's error code and message, or what it answered
 */
public record GovernanceResult(String id, String tenantName, String action, String target, boolean dryRun,
                               String outcome, String detail, Integer microsoftStatus, String microsoftAnswer,
                               String requestedBy, Instant requestedAt) {
    public static final String DONE = "done";
    public static final String ALREADY = "already";
    public static final String WOULD_CHANGE = "would-change";
    public static final String NOTHING_TO_DO = "nothing-to-do";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    /** One readable paragraph, for JMX and logs. */
    public String describe() {
        return action + " " + target + " in tenant " + tenantName + (dryRun ? " (dry run)" : "") + ": " + outcome
                + " - " + detail + (microsoftStatus == null ? "" : " [Microsoft Graph: HTTP " + microsoftStatus
                + (microsoftAnswer == null || microsoftAnswer.isBlank() ? "" : " " + microsoftAnswer) + "]")
                + " (audit id " + id + ")";
    }
}
