package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.o365audit.sink.format.HostileRecords.READ_BACK;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.o365audit.it.receivers.Rsyslog;
import org.o365audit.sink.SinkRecord;

/**
 * The hostile record through a real rsyslogd, framed as the syslog sink frames it: nothing in the CEF or LEEF line
 * may make the receiver cut, split or rewrite it. rsyslog escapes control characters on receipt (#011 for a tab),
 * so a line that reaches its file unchanged, LEEF's tab delimiters apart, held no raw control to begin with.
 */
class HostileRecordThroughRsyslogTest {
    private static final SyslogOptions OPTIONS = SyslogOptions.defaults().withHostname("collector.example");
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
    void cefLineArrivesUnchangedAndReadsBack() throws IOException {
        SinkRecord r = HostileRecords.everyFieldHostile();
        String cef = new CefFormat().format(r);

        String received = sendAndReceive(r, cef);

        assertThat(received.substring(received.indexOf("CEF:0|"))).isEqualTo(cef);
        assertThat(CefLine.read(received.substring(received.indexOf("CEF:0|"))).extension())
                .containsEntry("suid", READ_BACK).containsEntry("outcome", "success");
    }

    @Test
    void leefLineArrivesWithOnlyItsTabDelimitersEscapedByTheReceiver() throws IOException {
        SinkRecord r = HostileRecords.everyFieldHostile();
        String leef = new LeefFormat().format(r);

        String received = sendAndReceive(r, leef);

        assertThat(received.substring(received.indexOf("LEEF:2.0|"))).isEqualTo(leef.replace("\t", "#011"));
    }

    private static String sendAndReceive(SinkRecord r, String msg) throws IOException {
        int before = rsyslog.lines().size();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), rsyslog.tcpPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(new SyslogFrame().frame(r, msg, OPTIONS));
            out.flush();
        }
        List<String> lines = rsyslog.awaitLines(before + 1, Duration.ofSeconds(10));
        assertThat(lines).hasSize(before + 1);
        return lines.get(before);
    }
}
