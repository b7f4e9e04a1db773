package org.o365audit.govern;

/**
 * A governance request on its way through its route: the request, what the plan read from Graph, and the outcome
 * once one is decided (by the gate, the plan, the dry run or the action). The route's steps look at
 * {@link #isDecided()} and {@link #isDryRun()}; {@link GovernanceAudit} turns it into the {@link GovernanceResult}.
 */
public final class GovernanceCase {
    private GovernanceRequest request;
    private final java.time.Instant requestedAt;
    private Object plan;
    private String outcome;
    private String detail;
    private Integer microsoftStatus;
    private String microsoftAnswer;
    private String note = "";

    GovernanceCase(GovernanceRequest request, java.time.Instant requestedAt) {
        this.request = request;
        this.requestedAt = requestedAt;
    }

    java.time.Instant requestedAt() {
        return requestedAt;
    }

    public GovernanceRequest request() {
        return request;
    }

    void request(GovernanceRequest r) {
        request = r;
    }

    public boolean isDecided() {
        return outcome != null;
    }

    public boolean isDryRun() {
        return request.dryRun();
    }

    /** What the plan found (the user read from Graph, the permissions to delete), for the dry run and the action. */
    @SuppressWarnings("unchecked")
    <T> T plan() {
        return (T) plan;
    }

    void plan(Object p) {
        plan = p;
    }

    /** Said before the detail of whatever outcome follows (e.g. that the tenant runs actions as dry runs only). */
    void note(String n) {
        note = note + n + " ";
    }

    GovernanceCase decide(String outcome, String detail) {
        this.outcome = outcome;
        this.detail = detail;
        return this;
    }

    /** What Microsoft answered the call that decided the outcome. */
    GovernanceCase answered(Integer status, String answer) {
        microsoftStatus = status;
        microsoftAnswer = answer;
        return this;
    }

    String outcome() {
        return outcome;
    }

    String detail() {
        return (note + (detail == null ? "" : detail)).trim();
    }

    Integer microsoftStatus() {
        return microsoftStatus;
    }

    String microsoftAnswer() {
        return microsoftAnswer;
    }
}
