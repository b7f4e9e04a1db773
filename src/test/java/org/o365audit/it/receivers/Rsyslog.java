package org.o365audit.it.receivers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Debian's real rsyslogd as a syslog receiver (siem-formats.md §3): imtcp in plain TCP and in TLS (gtls driver,
 * anonymous clients) on free ports of 127.0.0.1, every message written as {@code %rawmsg%} plus LF to one file.
 * Runs in the foreground from its own temporary directory with a certificate made by the openssl CLI; the daemon's
 * own complaints (e.g. a TLS client closing without close_notify) land in {@link #daemonLog()}.
 */
public final class Rsyslog implements AutoCloseable {

    public static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    /** Where Debian's rsyslog-gnutls puts the driver; the other paths cover other architectures/layouts. */
    static final List<Path> GTLS_DRIVER = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so"),
            Path.of("/usr/lib/rsyslog/lmnsd_gtls.so"),
            Path.of("/usr/lib64/rsyslog/lmnsd_gtls.so"));
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path dir;
    private final Process process;
    private final int tcpPort;
    private final int tlsPort;
    private final Thread shutdownHook = new Thread(this::stopAndClean, "rsyslog-shutdown");

    private Rsyslog(Path dir, Process process, int tcpPort, int tlsPort) {
        this.dir = dir;
        this.process = process;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
    }

    /** rsyslogd, its GnuTLS driver and the openssl CLI are installed (.ci/run installs them). */
    public static boolean available() {
        return Files.isExecutable(RSYSLOGD) && GTLS_DRIVER.stream().anyMatch(Files::isRegularFile) && onPath("openssl");
    }

    /** Starts rsyslogd and returns once both ports complete a connection (the TLS one a handshake). */
    public static Rsyslog start() {
        return start("localhost", "DNS:localhost,IP:127.0.0.1");
    }

    /** As {@link #start()}, with a TLS certificate for CN={@code cn} and subject alternative names {@code san}. */
    public static Rsyslog start(String cn, String san) {
        Path dir;
        try {
            dir = Files.createTempDirectory("rsyslog-it-");
            Files.createDirectories(dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make rsyslog's directory", e);
        }
        makeCertificate(dir, cn, san);
        IllegalStateException lastFailure = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // a free port can be taken between probing and binding
            int[] ports = freePorts();
            Rsyslog rsyslog = launch(dir, ports[0], ports[1]);
            try {
                rsyslog.awaitListening();
                // a test that keeps it in a static field never calls close(); don't leave the daemon orphaned
                Runtime.getRuntime().addShutdownHook(rsyslog.shutdownHook);
                return rsyslog;
            } catch (IllegalStateException e) {
                lastFailure = e;
                rsyslog.stop();
            }
        }
        deleteTree(dir);
        throw lastFailure;
    }

    /** The config this harness runs, with {@code dir} as the test's temporary directory. */
    static String config(Path dir, int tcpPort, int tlsPort) {
        return """
                global(workDirectory="%1$s/work" maxMessageSize="64k"
                       defaultNetstreamDriverCAFile="%1$s/cert.pem"
                       defaultNetstreamDriverCertFile="%1$s/cert.pem" defaultNetstreamDriverKeyFile="%1$s/key.pem")
                module(load="imtcp")
                template(name="Raw" type="string" string="%%rawmsg%%\\n")
                ruleset(name="cap") { action(type="omfile" file="%1$s/out.log" template="Raw") }
                input(type="imtcp" address="127.0.0.1" port="%2$d" ruleset="cap")
                input(type="imtcp" address="127.0.0.1" port="%3$d" ruleset="cap"
                      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
                """.formatted(dir, tcpPort, tlsPort);
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The self-signed server certificate (by default CN=localhost, SAN localhost and 127.0.0.1), PEM. */
    public Path caPem() {
        return dir.resolve("cert.pem");
    }

    /** A client TLS context that trusts {@link #caPem()} only. */
    public SSLContext clientTls() {
        return ReceiverTls.clientTrusting(caPem());
    }

    /** Writes a PKCS12 trust store holding {@link #caPem()} into the run directory and returns its path. */
    public Path trustStore(String password) {
        return ReceiverTls.writeTrustStore(caPem(), dir.resolve("trust.p12"), password);
    }

    /** Camel TLS settings that trust this rsyslog's self-signed certificate (for the syslog sink's TLS). */
    public SSLContextParameters sslContextParameters() {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + trustStore("changeit"));
        ks.setPassword("changeit");
        ks.setType("PKCS12");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(ks);
        SSLContextParameters p = new SSLContextParameters();
        p.setTrustManagers(tm);
        return p;
    }

    public Path dir() {
        return dir;
    }

    public Path outputFile() {
        return dir.resolve("out.log");
    }

    /** One entry per message received so far, as rsyslog wrote it (control characters escaped as {@code #012}). */
    public List<String> lines() {
        Path out = outputFile();
        if (!Files.exists(out)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + out, e);
        }
        int end = text.lastIndexOf('\n'); // ignore a line still being written
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    /** Waits until at least {@code n} messages were written; fails the test otherwise. */
    public List<String> awaitLines(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = lines();
            if (lines.size() >= n) {
                return lines;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " syslog messages within " + timeout + ", got " + lines
                        + "\nrsyslogd said:\n" + daemonLog());
            }
            sleep(50);
        }
    }

    /** What rsyslogd printed on stdout/stderr: start-up messages and per-connection errors. */
    public String daemonLog() {
        try {
            return Files.readString(dir.resolve("rsyslogd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops rsyslogd with SIGTERM (SIGKILL after 10 s) and removes its directory. If close() is never called,
     * a JVM shutdown hook does the same.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        stopAndClean();
    }

    private void stopAndClean() {
        stop();
        deleteTree(dir);
    }

    private void stop() {
        long pid = process.pid();
        try {
            pid = Long.parseLong(Files.readString(dir.resolve("rsyslogd.pid")).trim());
        } catch (IOException | NumberFormatException noPidFile) {
            // not written yet: it is the process we started (-n keeps it in the foreground)
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Rsyslog launch(Path dir, int tcpPort, int tlsPort) {
        Path conf = dir.resolve("rsyslog.conf");
        try {
            Files.writeString(conf, config(dir, tcpPort, tlsPort));
            Files.deleteIfExists(dir.resolve("rsyslogd.pid"));
            Process process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(),
                    "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("rsyslogd.log").toFile())
                    .start();
            return new Rsyslog(dir, process, tcpPort, tlsPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + RSYSLOGD, e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        SSLContext tls = clientTls();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited with " + process.exitValue() + ":\n" + daemonLog());
            }
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 500);
                try (SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket()) {
                    secure.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), 500);
                    secure.startHandshake();
                }
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslogd not listening on " + tcpPort + "/" + tlsPort + " after "
                            + STARTUP + " (" + notYet + "):\n" + daemonLog());
                }
                sleep(100);
            }
        }
    }

    private static void makeCertificate(Path dir, String cn, String san) {
        List<String> command = List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + san,
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
        Path log = dir.resolve("openssl.log");
        try {
            Process openssl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                openssl.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a certificate", e);
        }
    }

    private static int[] freePorts() {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp directory is not worth failing a test for
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
