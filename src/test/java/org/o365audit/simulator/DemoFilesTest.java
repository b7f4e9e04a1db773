package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoFilesTest {

    @Test
    void theStoryTakesTheBudgetToAGuestToAnAnonymousLinkAndBackWithAnActivityForEachStep() {
        ManagementApiSimulator simulator = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
        try {
            SimulatedTenant t = simulator.tenant("5b7c1c9e-3a1d-4c55-9f0e-0d6f4f3b2a10");
            Instant now = Instant.parse("2026-12-05T10:00:00Z");
            DemoFiles demo = new DemoFiles(t, Clock.fixed(now, ZoneOffset.UTC));
            SimulatedFiles.Item budget = t.graph().files().itemAt(DemoFiles.SITE + "/Shared Documents/Plans/Budget 2027.xlsx")
                    .orElseThrow();
            assertThat(operations(t)).containsExactlyInAnyOrder("FileUploaded", "FileUploaded", "CompanyLinkCreated",
                    "FileUploaded");
            demo.next(now.plusSeconds(60));
            assertThat(t.graph().files().permissions(budget.driveId(), budget.id()))
                    .anyMatch(p -> p.grantedTo() != null && p.grantedTo().email().equals("pat.miller@fabrikam.com"));
            demo.next(now.plusSeconds(120));
            assertThat(t.graph().files().permissions(budget.driveId(), budget.id()))
                    .anyMatch(p -> p.link() != null && p.link().scope().equals("anonymous"));
            demo.next(now.plusSeconds(180));
            assertThat(t.graph().files().permissions(budget.driveId(), budget.id()))
                    .allMatch(p -> p.roles().contains("owner"));
            assertThat(operations(t)).contains("SharingSet", "AnonymousLinkCreated", "AnonymousLinkRemoved");
        } finally {
            simulator.close();
        }
    }

    private static List<String> operations(SimulatedTenant t) {
        return t.blobs("Audit.SharePoint").stream().flatMap(b -> b.records().stream())
                .map(DemoFilesTest::readOperation).toList();
    }

    private static String readOperation(String record) {
        try {
            return Json.MAPPER.readTree(record).path("Operation").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
