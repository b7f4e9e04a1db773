package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.Application;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An engineer's mistake in routes/ or config/ stops the start with one line naming the file, key or route and
 * what is wrong; the process does not half-run.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationTest {

    @Test
    void aMalformedRouteFileStopsTheStartNamingTheFile(CapturedOutput out) throws Exception {
        Path dir = Path.of("target", "bad-routes");
        Files.createDirectories(dir);
        Path broken = dir.resolve("broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: broken
                    from:
                      uri: "timer:x"
                      steps:
                        - log: "a"
                       - log: "b"
                """);
        assertThrows(Exception.class, () -> start("--camel.main.routes-include-pattern=file:target/bad-routes/*.camel.yaml"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("route file target/bad-routes/broken.camel.yaml is not valid Camel YAML");
    }

    @Test
    void aRoutesFolderWithoutTheCollectorsTemplateStopsTheStartNamingIt(CapturedOutput out) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "partial-routes"));
        Files.copy(Path.of("routes", "housekeeping.camel.yaml"), dir.resolve("housekeeping.camel.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThrows(Exception.class, () -> start(
                "--o365.routes.dir=target/partial-routes",
                "--o365.tenants[0].name=contoso",
                "--o365.tenants[0].tenant-id=11111111-2222-3333-4444-555555555555",
                "--o365.tenants[0].client-id=11111111-2222-3333-4444-666666666666",
                "--o365.tenants[0].client-secret=not-used",
                "--o365.tenants[0].content-types=Audit.Exchange"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("route template management-activity-poller is in none of the route files loaded");
    }

    @Test
    void anUnknownContentTypeStopsTheStartNamingTheKey(CapturedOutput out) {
        assertThrows(Exception.class, () -> start(
                "--o365.tenants[0].name=contoso",
                "--o365.tenants[0].tenant-id=11111111-2222-3333-4444-555555555555",
                "--o365.tenants[0].client-id=11111111-2222-3333-4444-666666666666",
                "--o365.tenants[0].client-secret=not-used",
                "--o365.tenants[0].content-types=Audit.Exchange,Audit.Nope"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.tenants[0].content-types").contains("Audit.Nope");
    }

    @Test
    void filesWithoutActivitiesStopsTheStartWithOneLine(CapturedOutput out) {
        assertThrows(Exception.class, () -> start(
                "--o365.tenants[0].name=contoso",
                "--o365.tenants[0].tenant-id=11111111-2222-3333-4444-555555555555",
                "--o365.tenants[0].client-id=11111111-2222-3333-4444-666666666666",
                "--o365.tenants[0].client-secret=not-used",
                "--o365.tenants[0].components=accounts,files"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.tenants[0].components: files requires activities");
    }

    @Test
    void aMissingSecretStopsTheStartNamingTheKey(CapturedOutput out) {
        assertThrows(Exception.class, () -> start(
                "--o365.tenants[0].name=contoso",
                "--o365.tenants[0].tenant-id=11111111-2222-3333-4444-555555555555",
                "--o365.tenants[0].client-id=11111111-2222-3333-4444-666666666666"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.tenants[0]").contains("client-secret");
    }

    @Test
    void aTenantListWrittenAsAMapStopsTheStartNamingTheKey(CapturedOutput out) {
        assertThrows(Exception.class, () -> start(
                "--o365.tenants.contoso.tenant-id=11111111-2222-3333-4444-555555555555",
                "--o365.tenants.contoso.client-id=11111111-2222-3333-4444-666666666666",
                "--o365.tenants.contoso.client-secret=not-used"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.tenants: ").contains("o365.tenants.contoso.tenant-id").contains("is a list");
    }

    @Test
    void anUnknownSinkTypeStopsTheStartNamingTheKey(CapturedOutput out) {
        assertThrows(Exception.class, () -> start("--o365.sinks.siem.type=carrier-pigeon"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.sinks.siem.type: unknown sink type 'carrier-pigeon'")
                .contains("files").contains("webhook");
    }

    @Test
    void anUnknownSslBundleStopsTheStartNamingTheKey(CapturedOutput out) {
        assertThrows(Exception.class, () -> start(
                "--o365.sinks.splunk.type=splunk-hec",
                "--o365.sinks.splunk.url=https://127.0.0.1:1",
                "--o365.sinks.splunk.token=not-used",
                "--o365.sinks.splunk.ssl-bundle=splunk-ca"));
        List<String> lines = startupErrors(out);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("o365.sinks.splunk.ssl-bundle: there is no SSL bundle 'splunk-ca'")
                .contains("spring.ssl.bundle.pem.splunk-ca");
    }

    private static void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:startup-" + System.nanoTime(),
                "--o365.simulator.mode=never",
                "--o365.sinks.archive.enabled=false"));
        args.addAll(Arrays.asList(extra));
        new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new))
                .close();
    }

    /** The lines our failure analysis logged (the one line an engineer reads). */
    private static List<String> startupErrors(CapturedOutput out) {
        return out.getOut().lines().filter(l -> l.contains("ERROR") && l.contains("org.o365audit.startup")).toList();
    }
}
