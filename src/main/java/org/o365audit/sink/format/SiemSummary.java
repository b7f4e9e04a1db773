package org.o365audit.sink.format;

import java.util.Locale;
import org.o365audit.sink.SinkRecord;

/** The category and outcome that CEF and LEEF both put on every record, read the same way for both. */
final class SiemSummary {

    private SiemSummary() {
    }

    /**
     * The Workload. QRadar's own Office 365 DSM takes Event ID = Operation and Event Category = Workload, and LEEF's
     * EventID + cat select the QID, so the same pair lets an operator reuse that mapping; ArcSight's cat
     * (deviceEventCategory) is the device's own category, which for Office 365 is the service. A record without a
     * Workload falls back to its content type (Audit.General, ...): still a fixed value, never a per-event one.
     */
    static String category(SinkRecord r) {
        String workload = r.getWorkload();
        return workload != null && !workload.isBlank() ? workload : r.getContentType();
    }

    /**
     * "success" or "failure", as the CEF dictionary describes outcome (eventOutcome), from {@link Outcome}: a record
     * without a ResultStatus, or with a workload's own wording, still says success.
     */
    static String outcome(SinkRecord r) {
        return Outcome.of(r).name().toLowerCase(Locale.ROOT);
    }
}
