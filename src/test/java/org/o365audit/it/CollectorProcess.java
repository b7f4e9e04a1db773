package org.o365audit.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged collector (target/o365-audit-connector.jar) started as a child process from the project root. */
final class CollectorProcess {
    static final Path JAR = Path.of("target", "o365-audit-connector.jar");

    private CollectorProcess() {
    }

    static Process start(List<String> jvmArgs, List<String> appArgs, Map<String, String> env, Path log) throws IOException {
        if (!JAR.toFile().isFile()) {
            throw new IllegalStateException(JAR + " is missing: run through 'mvn verify' so the jar is packaged first");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djavax.net.ssl.trustStore=src/test/resources/tls/localhost-trust.p12");
        cmd.add("-Djavax.net.ssl.trustStorePassword=simulator");
        cmd.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }
}
