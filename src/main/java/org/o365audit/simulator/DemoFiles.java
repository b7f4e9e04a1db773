package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo tenant's files, so that the files component shows a sharing level change without an Azure account: a
 * Finance site's library and Adele's OneDrive with a few files (one already shared with the organisation), the
 * SharePoint activities that name them (a blob of FileUploaded at the start), and a story told again and again while
 * the demo runs: the budget is shared with a guest (SharingSet), then gets an anonymous link (AnonymousLinkCreated),
 * then the link and the guest go (AnonymousLinkRemoved), each step an activity in the feed with the simulated
 * permissions changed to match; so the events FileSharedExternally, FileSharedPublicly and PublicLinkRemoved follow.
 */
public final class DemoFiles {
    static final String SITE = "https://contoso.sharepoint.com/sites/Finance";
    static final String ONEDRIVE = "https://contoso-my.sharepoint.com/personal/adele_contoso_onmicrosoft_com";
    private static final String CONTENT_TYPE = "Audit.SharePoint";
    private static final SimulatedFiles.Identity ADELE = SimulatedFiles.Identity.of("Adele@contoso.onmicrosoft.com", "Adele Vance");
    private static final SimulatedFiles.Identity MATT = SimulatedFiles.Identity.of("Matt@contoso.onmicrosoft.com", "Matt Hayes");
    private static final SimulatedFiles.Identity GUEST = SimulatedFiles.Identity.of("pat.miller@fabrikam.com", "Pat Miller");

    private final SimulatedTenant tenant;
    private final SimulatedFiles.Item budget;
    private final AtomicLong step = new AtomicLong();

    DemoFiles(SimulatedTenant tenant, Clock clock) {
        this.tenant = tenant;
        SimulatedFiles files = tenant.graph().files();
        Instant now = clock.instant();
        SimulatedFiles.Drive finance = files.addLibrary(SITE, "Shared Documents");
        SimulatedFiles.Drive adele = files.addOneDrive(ONEDRIVE);
        budget = files.addFile(finance, "Plans", "Budget 2027.xlsx", 48_213, MATT, now.minus(Duration.ofDays(3)));
        SimulatedFiles.Item forecast = files.addFile(finance, "Plans", "Q3 Forecast.xlsx", 31_877, MATT,
                now.minus(Duration.ofDays(9)));
        files.shareWithOrganization(forecast, "view");
        SimulatedFiles.Item brief = files.addFile(adele, "", "Campaign brief.docx", 120_455, ADELE, now.minus(Duration.ofDays(1)));
        add(now, List.of(record(now, "FileUploaded", MATT, budget, SITE), record(now, "FileUploaded", MATT, forecast, SITE),
                record(now, "CompanyLinkCreated", MATT, forecast, SITE), record(now, "FileUploaded", ADELE, brief, ONEDRIVE)));
    }

    /** Adds the files and their first activities; then one step of the story every {@code every} until closed. */
    public static AutoCloseable start(SimulatedTenant tenant, Clock clock, Duration every) {
        DemoFiles demo = new DemoFiles(tenant, clock);
        return DemoFeed.schedule(() -> demo.next(clock.instant()), every, "o365-simulator-files-" + tenant.tenantId());
    }

    /** The next step: shared with a guest, an anonymous link, both removed; then again. */
    void next(Instant now) {
        SimulatedFiles files = tenant.graph().files();
        switch ((int) (step.getAndIncrement() % 3)) {
            case 0 -> {
                files.grant(budget, GUEST, "read");
                add(now, List.of(record(now, "SharingSet", MATT, budget, SITE)));
            }
            case 1 -> {
                files.shareAnonymously(budget, "view");
                add(now, List.of(record(now, "AnonymousLinkCreated", MATT, budget, SITE)));
            }
            default -> {
                files.removeLinks(budget, "anonymous");
                files.permissions(budget.driveId(), budget.id()).stream()
                        .filter(p -> p.grantedTo() != null && p.grantedTo().equals(GUEST))
                        .forEach(p -> files.removePermission(budget.driveId(), budget.id(), p.id()));
                add(now, List.of(record(now, "AnonymousLinkRemoved", MATT, budget, SITE),
                        record(now, "SharingRevoked", MATT, budget, SITE)));
            }
        }
    }

    private void add(Instant now, List<String> records) {
        tenant.addBlob(SimBlob.ofRecords(CONTENT_TYPE, ContentIds.of(tenant.tenantId() + "|files", CONTENT_TYPE, now), now,
                now, records));
    }

    /** A SharePoint file activity as the feed has it: ObjectId the file's URL with its spaces as they are. */
    private String record(Instant now, String operation, SimulatedFiles.Identity actor, SimulatedFiles.Item item, String site) {
        ObjectNode r = Json.object();
        r.put("CreationTime", Json.RECORD_TIME.format(now.minusSeconds(30)));
        r.put("Id", UUID.nameUUIDFromBytes((tenant.tenantId() + "|files|" + now + "|" + operation + "|" + item.id())
                .getBytes(StandardCharsets.UTF_8)).toString());
        r.put("Operation", operation);
        r.put("OrganizationId", tenant.tenantId());
        r.put("RecordType", operation.startsWith("File") ? 6 : 14);
        r.put("UserKey", "i:0h.f|membership|10032002643f6746@live.com");
        r.put("UserType", 0);
        r.put("Version", 1);
        r.put("Workload", site.equals(ONEDRIVE) ? "OneDrive" : "SharePoint");
        r.put("ClientIP", "203.0.113.24");
        r.put("UserId", actor.email());
        r.put("EventSource", "SharePoint");
        r.put("ItemType", "File");
        r.put("SiteUrl", site + "/");
        String library = site.equals(ONEDRIVE) ? "Documents" : "Shared Documents";
        r.put("ObjectId", site + "/" + library + item.path() + "/" + item.name());
        r.put("SourceRelativeUrl", library + item.path());
        r.put("SourceFileName", item.name());
        r.put("SourceFileExtension", item.name().substring(item.name().lastIndexOf('.') + 1));
        if (operation.equals("SharingSet")) {
            r.put("TargetUserOrGroupName", GUEST.email());
            r.put("TargetUserOrGroupType", "Guest");
        }
        return Json.text(r);
    }
}
