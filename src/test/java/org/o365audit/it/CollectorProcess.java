package org.o365audit.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged collector (target/o365-audit-connector.jar) started as a child process, from the project root or, as
 * an operator runs it, from a folder of its own.
 */
final class CollectorProcess {
    static final Path JAR = Path.of("target", "o365-audit-connector.jar");

    private CollectorProcess() {
    }

    static Process start(List<String> jvmArgs, List<String> appArgs, Map<String, String> env, Path log) throws IOException {
        return start(Path.of("."), JAR, jvmArgs, appArgs, env, log);
    }

    /** java -jar with the working directory {@code dir}; the JVM trusts the tests' localhost certificate. */
    static Process start(Path dir, Path jar, List<String> jvmArgs, List<String> appArgs, Map<String, String> env, Path log)
            throws IOException {
        if (!JAR.toFile().isFile()) {
            throw new IllegalStateException(JAR + " is missing: run through 'mvn verify' so the jar is packaged first");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the tests' simulators and receivers present a test-only localhost certificate
        cmd.add("-Djavax.net.ssl.trustStore=" + Path.of("src/test/resources/tls/localhost-trust.p12").toAbsolutePath());
        cmd.add("-Djavax.net.ssl.trustStorePassword=simulator");
        cmd.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }
}
