package org.o365audit.it.receivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RsyslogTest {

    private static final String PLAIN = "<110>1 2024-05-01T12:00:00.123Z collector.example o365-collector - AUDIT"
            + " [o365@32473 id=\"r1\" ws=\"Exchange\"] plain ascii message";
    private static final String UTF8 = "<110>1 2024-05-01T12:00:00.123456Z collector.example o365-collector - AUDIT"
            + " [o365@32473 id=\"r2\" note=\"a \\] b\"] \uFEFF{\"Id\":\"r2\",\"UserId\":\"zoë@contoso.com\",\"City\":\"Zürich €\"}";
    private static final Pattern TLS_ERROR = Pattern.compile("non-properly terminated");

    private static Rsyslog rsyslog;

    @BeforeAll
    static void start() {
        assumeTrue(Rsyslog.available(), "rsyslogd with the gtls driver and openssl are needed (.ci/run installs them)");
        rsyslog = Rsyslog.start();
    }

    @AfterAll
    static void stop() {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void octetCountedFramesOverPlainTcpArriveIntact() throws IOException {
        int before = rsyslog.lines().size();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), rsyslog.tcpPort())) {
            send(socket.getOutputStream(), PLAIN.replace("plain", "tcp"), UTF8.replace("r2", "tcp2"));
        }

        List<String> lines = rsyslog.awaitLines(before + 2, Duration.ofSeconds(10));

        assertTrue(lines.contains(PLAIN.replace("plain", "tcp")), lines::toString);
        assertTrue(lines.contains(UTF8.replace("r2", "tcp2")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\uFEFF{\"Id\":\"tcp2\"")), "BOM kept in %rawmsg%");
    }

    @Test
    void aLineFeedInsideAFrameStaysInItsMessageAsHash012() throws IOException {
        int before = rsyslog.lines().size();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), rsyslog.tcpPort())) {
            send(socket.getOutputStream(), PLAIN.replace("plain ascii message", "first\nsecond"));
        }

        List<String> lines = rsyslog.awaitLines(before + 1, Duration.ofSeconds(10));

        assertEquals(PLAIN.replace("plain ascii message", "first#012second"), lines.get(lines.size() - 1));
    }

    @Test
    void octetCountedFramesOverTlsArriveIntactAndACleanCloseLogsNoError() throws Exception {
        int before = rsyslog.lines().size();
        try (SSLSocket socket = (SSLSocket) rsyslog.clientTls().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), rsyslog.tlsPort())) {
            socket.startHandshake();
            send(socket.getOutputStream(), PLAIN.replace("plain", "tls"), UTF8.replace("r2", "tls2"));
        } // close() sends close_notify

        List<String> lines = rsyslog.awaitLines(before + 2, Duration.ofSeconds(10));
        assertTrue(lines.contains(PLAIN.replace("plain", "tls")), lines::toString);
        assertTrue(lines.contains(UTF8.replace("r2", "tls2")), lines::toString);

        // the control: dropping the TCP connection under TLS, without close_notify, is what rsyslog complains about
        int errorsBefore = count(TLS_ERROR, rsyslog.daemonLog());
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), rsyslog.tlsPort());
        SSLSocket abrupt = (SSLSocket) rsyslog.clientTls().getSocketFactory().createSocket(raw, "localhost", rsyslog.tlsPort(), false);
        abrupt.startHandshake();
        send(abrupt.getOutputStream(), PLAIN.replace("plain", "abrupt"));
        raw.close();
        rsyslog.awaitLines(before + 3, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(TLS_ERROR, rsyslog.daemonLog()) == errorsBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(errorsBefore + 1, count(TLS_ERROR, rsyslog.daemonLog()), rsyslog.daemonLog());
        assertEquals(0, errorsBefore, "the clean close logged an error:\n" + rsyslog.daemonLog());
    }

    @Test
    void offersATrustStoreForItsCertificate() throws Exception {
        Path store = rsyslog.trustStore("changeit");
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            loaded.load(in, "changeit".toCharArray());
        }

        assertEquals(1, loaded.size());
        assertTrue(Files.readString(rsyslog.caPem()).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void closeStopsTheDaemonAndFreesItsPorts() throws Exception {
        Rsyslog second = Rsyslog.start();
        int port = second.tcpPort();
        Path dir = second.dir();
        assertTrue(Files.readString(dir.resolve("rsyslog.conf")).contains("streamDriver.name=\"gtls\""));

        second.close();

        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertFalse(Files.exists(dir));
    }

    /** RFC 6587 octet counting: MSG-LEN is the UTF-8 byte count, then a space, then the message. */
    private static void send(OutputStream out, String... messages) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (String message : messages) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            frames.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
            frames.write(bytes);
        }
        out.write(frames.toByteArray());
        out.flush();
    }

    private static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
