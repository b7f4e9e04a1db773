package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar copied into a folder of its own, far from the project, and started there as an operator would
 * (java -jar, nothing else): with nothing beside it, it runs the routes and configuration it carries, collects the
 * built-in simulated tenant and says where everything is; a routes/ and a config/ folder beside it replace the
 * bundled routes and override the bundled configuration; a routes folder named by o365.routes.dir that is missing
 * or empty stops the start with one line.
 */
class RunsFromAnyFolderIT {
    private static final Pattern READY = Pattern.compile("is ready:\\R((?:  .*\\R?)+)");

    @TempDir
    Path folder;

    @Test
    void runsFromAnEmptyFolderWithWhatTheJarCarries() throws Exception {
        Path log = Path.of("target", "runs-from-any-folder-empty.log");
        Process p = start(log, List.of(), List.of("--o365.simulator.history=2h"));
        try {
            Map<String, String> ready = awaitReady(log, p);
            assertThat(ready.get("routes")).isEqualTo("bundled in the jar");
            assertThat(ready.get("database")).startsWith("H2 file " + folder.resolve("data/o365-audit.mv.db"));
            assertThat(ready.get("files sink archive")).isEqualTo(folder.resolve("data/ndjson").toString());
            assertThat(ready.get("connected tenants")).matches("http://localhost:\\d+/tenants\\.html");
            assertThat(ready.get("Hawtio")).matches("http://localhost:\\d+/actuator/hawtio/");
            assertThat(ready.get("log in")).startsWith("user admin, password generated at this start");
            Matcher generated = Pattern.compile("Using generated security password: (\\S+)").matcher(Files.readString(log));
            assertThat(generated.find()).isTrue();
            assertThat(ready.toString()).doesNotContain(generated.group(1));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log).contains("record(s) stored"));
            assertThat(health(ready)).isEqualTo(200);
            assertThat(folder.resolve("data/o365-audit.mv.db")).isRegularFile();
        } finally {
            stop(p);
        }
    }

    @Test
    void routesAndConfigFoldersBesideTheJarReplaceAndOverrideTheBundledOnes() throws Exception {
        Path routes = Files.createDirectories(folder.resolve("routes"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path f : files) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path housekeeping = routes.resolve("housekeeping.camel.yaml");
        String original = Files.readString(housekeeping);
        String changed = original.replace("message: \"blob ledger: ${body} expired entries removed\"\n"
                        + "            loggingLevel: DEBUG",
                "message: \"the install folder's housekeeping: ${body} expired entries removed\"\n"
                        + "            loggingLevel: INFO");
        assertThat(changed).as("the edit of housekeeping.camel.yaml").isNotEqualTo(original);
        Files.writeString(housekeeping, changed);
        Files.createDirectories(folder.resolve("config"));
        Files.copy(Path.of("config", "ecs-mapping.yaml"), folder.resolve("config/ecs-mapping.yaml"));
        Files.writeString(folder.resolve("config/application.yaml"), """
                o365:
                  simulator:
                    history: 2h
                spring:
                  security:
                    user:
                      name: operator
                """);
        Path log = Path.of("target", "runs-from-any-folder-override.log");
        Process p = start(log, List.of(), List.of());
        try {
            Map<String, String> ready = awaitReady(log, p);
            assertThat(ready.get("routes")).isEqualTo(routes + "/*.camel.yaml");
            assertThat(ready.get("log in")).startsWith("user operator, ");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log).contains("the install folder's housekeeping: "));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log).contains("record(s) stored"));
            assertThat(Files.readString(log)).contains("routes: *.camel.yaml from the folder " + routes)
                    .contains("ECS mapping: " + folder.resolve("config/ecs-mapping.yaml"));
        } finally {
            stop(p);
        }
    }

    @Test
    void aNamedRoutesFolderThatIsMissingOrEmptyStopsTheStartWithOneLine() throws Exception {
        Path missing = folder.resolve("missing");
        Path log = Path.of("target", "runs-from-any-folder-missing.log");
        assertThat(refusedStart(missing, Path.of("target", "runs-from-any-folder-missing.log"))).singleElement().asString()
                .endsWith("invalid configuration: o365.routes.dir: the folder " + missing + " does not exist");

        Path empty = Files.createDirectories(folder.resolve("empty"));
        Files.writeString(empty.resolve("README.txt"), "no routes here");
        assertThat(refusedStart(empty, Path.of("target", "runs-from-any-folder-empty-routes.log"))).singleElement()
                .asString()
                .endsWith("invalid configuration: o365.routes.dir: the folder " + empty + " holds no route file (*.camel.yaml)");
    }

    @Test
    void aMistakeInTheEcsMappingBesideTheJarStopsTheStartWithOneLine() throws Exception {
        Files.createDirectories(folder.resolve("config"));
        Files.writeString(folder.resolve("config/ecs-mapping.yaml"), Files.readString(Path.of("config", "ecs-mapping.yaml"))
                .replace("  - {to: event.id, from: [Id]}", "  - {to: event.id, form: [Id]}"));
        Path log = Path.of("target", "runs-from-any-folder-ecs-mapping.log");
        Process p = start(log, List.of(), List.of());
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the start stops (see %s)", log).isTrue();
            assertThat(p.exitValue()).isNotZero();
        } finally {
            stop(p);
        }
        assertThat(startupErrors(log)).singleElement().asString().matches(
                ".*invalid ECS mapping: config/ecs-mapping.yaml: fields\\[\\d+\\] \\(to: event.id\\): unknown key 'form' .*");
    }

    /** Starts with o365.routes.dir naming the folder, expects the process to end with a failure; its startup errors. */
    private List<String> refusedStart(Path routesDir, Path log) throws Exception {
        Process p = start(log, List.of("-Do365.routes.dir=" + routesDir), List.of());
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the start stops (see %s)", log).isTrue();
            assertThat(p.exitValue()).isNotZero();
        } finally {
            stop(p);
        }
        return startupErrors(log);
    }

    /** Copies the jar into the folder and runs it there: no trust store, no routes or config from the project. */
    private Process start(Path log, List<String> jvmArgs, List<String> appArgs) throws IOException {
        Files.deleteIfExists(log);
        Path jar = folder.resolve("o365-audit-connector.jar");
        if (!Files.exists(jar)) {
            Files.copy(CollectorProcess.JAR, jar);
        }
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(jvmArgs);
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0"));
        args.addAll(appArgs);
        return CollectorProcess.start(folder, jar.getFileName(), jvm, args, Map.of(), log.toAbsolutePath());
    }

    /** The ready block, label by label. */
    private static Map<String, String> awaitReady(Path log, Process p) {
        String[] block = new String[1];
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(p.isAlive()).as("the collector runs (see %s)", log).isTrue();
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                block[0] = m.group(1);
            }
            return block[0] != null;
        });
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        block[0].lines().map(String::trim).filter(l -> l.contains(": "))
                .forEach(l -> lines.put(l.substring(0, l.indexOf(": ")), l.substring(l.indexOf(": ") + 2).trim()));
        return lines;
    }

    private static int health(Map<String, String> ready) throws Exception {
        Matcher m = Pattern.compile("http://localhost:(\\d+)/").matcher(ready.get("connected tenants"));
        assertThat(m.find()).isTrue();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + m.group(1) + "/actuator/health/liveness")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private static List<String> startupErrors(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains("ERROR") && l.contains("org.o365audit.startup")).toList();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }
}
