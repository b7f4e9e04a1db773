package org.o365audit.sink.format;

import java.util.Locale;
import java.util.Set;
import org.o365audit.sink.SinkRecord;

/**
 * Whether the audited action succeeded, read from ResultStatus the way Elastic's O365 pipeline reads it:
 * only an explicit failure is a failure, and anything else (missing, "True", "PartiallySucceeded", a
 * workload's own wording) counts as success, so one odd value cannot flood a SIEM with false alarms.
 * Unlike Elastic, "Failure" is a failure too: Microsoft's own OMEPortal sample carries it.
 */
public enum Outcome {
    SUCCESS, FAILURE;

    private static final Set<String> FAILED = Set.of("failed", "false", "failure");

    public static Outcome of(SinkRecord r) {
        return of(r.field("ResultStatus"));
    }

    public static Outcome of(String resultStatus) {
        return resultStatus != null && FAILED.contains(resultStatus.trim().toLowerCase(Locale.ROOT)) ? FAILURE : SUCCESS;
    }

    /** ECS event.outcome. */
    public String ecs() {
        return this == FAILURE ? "failure" : "success";
    }

    /** CEF and LEEF severity (our choice: Low for success, Medium for a failed action). */
    public int severity() {
        return this == FAILURE ? 5 : 3;
    }
}
