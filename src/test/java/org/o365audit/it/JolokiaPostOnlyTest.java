package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Jolokia operation (exec) or attribute change (write) runs only when POSTed, however the GET spells the
 * path: percent-encoded, doubled slashes, path parameters, other case, Jolokia's own ! escapes, the p query
 * parameter, Hawtio's forward at /actuator/hawtio/jolokia. Each request is sent byte for byte over a socket (no
 * client normalises it) by a logged-in user, against a probe MBean whose counter shows whether anything ran.
 */
class JolokiaPostOnlyTest extends ConsoleTestBase {
    static final String PROBE = "o365audit.test:type=JolokiaProbe";
    static final Probe probe = new Probe();

    public interface ProbeMBean {
        int getTouches();

        String getMark();

        void setMark(String mark);

        void touch();
    }

    public static class Probe implements ProbeMBean {
        final AtomicInteger touches = new AtomicInteger();
        volatile String mark = "original";

        @Override
        public int getTouches() {
            return touches.get();
        }

        @Override
        public String getMark() {
            return mark;
        }

        @Override
        public void setMark(String mark) {
            this.mark = mark;
        }

        @Override
        public void touch() {
            touches.incrementAndGet();
        }
    }

    @BeforeAll
    static void registerProbe() throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(probe, new ObjectName(PROBE));
    }

    @AfterAll
    static void unregisterProbe() throws Exception {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(PROBE));
    }

    /** One request that got through must not make the next one look guilty. */
    @AfterEach
    void resetMark() {
        probe.setMark("original");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /actuator/jolokia/exec/" + PROBE + "/touch",
            "GET /actuator//jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia//exec/" + PROBE + "/touch",
            "GET /actuator/jolokia///exec/" + PROBE + "/touch",
            "GET /actuator/%6Aolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/%65xec/" + PROBE + "/touch",
            "GET /actuator/jolokia/%2565xec/" + PROBE + "/touch",
            "GET /actuator/jolokia/%2Fexec/" + PROBE + "/touch",
            "GET /actuator/jolokia;x=y/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/exec;x=y/" + PROBE + "/touch",
            "GET /actuator;x=y/jolokia/exec/" + PROBE + "/touch",
            "GET /ACTUATOR/JOLOKIA/EXEC/" + PROBE + "/touch",
            "GET /actuator/Jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/EXEC/" + PROBE + "/touch",
            "GET /actuator/jolokia/Exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/ex!ec/" + PROBE + "/touch",
            "GET /actuator/jolokia/exec/" + PROBE + "/touch/",
            "GET /actuator/jolokia/./exec/" + PROBE + "/touch",
            "GET /actuator/x/../jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/%2e/exec/" + PROBE + "/touch",
            "GET /actuator\\jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia?p=/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia?p=exec/" + PROBE + "/touch",
            "GET /actuator/jolokia?p=EXEC/" + PROBE + "/touch",
            "GET /actuator/jolokia?p=%2Fexec%2F" + PROBE + "%2Ftouch",
            "GET /actuator/jolokia?p=%65xec/" + PROBE + "/touch",
            "GET /actuator/jolokia/?p=/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia//?p=exec/" + PROBE + "/touch",
            "GET /actuator/jolokia?ignored=1&p=exec/" + PROBE + "/touch",
            "GET /actuator/hawtio/jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/hawtio/jolokia/%65xec/" + PROBE + "/touch",
            "GET /actuator/hawtio/jolokia/EXEC/" + PROBE + "/touch",
            "GET /actuator/hawtio/jolokia?p=/exec/" + PROBE + "/touch",
            "GET /actuator/hawtio/jolokia/?p=exec/" + PROBE + "/touch",
            "GET /actuator/hawtio//jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/hawtio/proxy/localhost/PORT/actuator/jolokia/exec/" + PROBE + "/touch",
            "HEAD /actuator/jolokia/exec/" + PROBE + "/touch",
            "HEAD /actuator/jolokia?p=exec/" + PROBE + "/touch",
            "OPTIONS /actuator/jolokia/exec/" + PROBE + "/touch",
            "PUT /actuator/jolokia/exec/" + PROBE + "/touch",
            "GET /actuator/jolokia/write/" + PROBE + "/Mark/changed",
            "GET /actuator/jolokia/WRITE/" + PROBE + "/Mark/changed",
            "GET /actuator/jolokia/wr%69te/" + PROBE + "/Mark/changed",
            "GET /actuator/jolokia?p=write/" + PROBE + "/Mark/changed",
            "GET /actuator/hawtio/jolokia/write/" + PROBE + "/Mark/changed"})
    void anOperationOrWriteSentWithoutPostDoesNotRun(String request) throws Exception {
        int before = probe.getTouches();
        String response = send(request.replace("PORT", String.valueOf(port)), null);
        String status = response.lines().findFirst().orElse("no answer");
        assertThat(probe.getTouches()).as("operations run by %s (answered %s)", request, status).isEqualTo(before);
        assertThat(probe.getMark()).as("attribute after %s (answered %s)", request, status).isEqualTo("original");
    }

    @Test
    void postedOperationsAndWritesRun() throws Exception {
        int before = probe.getTouches();
        String exec = send("POST /actuator/jolokia", "{\"type\":\"exec\",\"mbean\":\"" + PROBE + "\",\"operation\":\"touch\"}");
        assertThat(exec).startsWith("HTTP/1.1 200");
        assertThat(probe.getTouches()).isEqualTo(before + 1);
        String viaHawtio = send("POST /actuator/hawtio/jolokia",
                "{\"type\":\"exec\",\"mbean\":\"" + PROBE + "\",\"operation\":\"touch\"}");
        assertThat(viaHawtio).startsWith("HTTP/1.1 200");
        assertThat(probe.getTouches()).isEqualTo(before + 2);
        String write = send("POST /actuator/jolokia",
                "{\"type\":\"write\",\"mbean\":\"" + PROBE + "\",\"attribute\":\"Mark\",\"value\":\"posted\"}");
        assertThat(write).startsWith("HTTP/1.1 200");
        assertThat(probe.getMark()).isEqualTo("posted");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /actuator/jolokia/read/" + PROBE + "/Touches",
            "GET /actuator/jolokia/READ/" + PROBE + "/Touches",
            "GET /actuator/jolokia?p=/read/" + PROBE + "/Touches",
            "GET /actuator/jolokia/list/o365audit.test",
            "GET /actuator/jolokia/search/o365audit.test:*",
            "GET /actuator/jolokia/version",
            "GET /actuator/jolokia",
            "GET /actuator/jolokia/",
            "GET /actuator/hawtio/jolokia/read/" + PROBE + "/Touches"})
    void readingStaysPossibleWithGet(String request) throws Exception {
        String response = send(request, null);
        assertThat(response).as(request).startsWith("HTTP/1.1 200").contains("\"status\":200");
    }

    /** Sends the request line exactly as given, with basic auth, and answers the whole response. */
    private String send(String requestLine, String jsonBody) throws IOException {
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\n")
                .append("Authorization: Basic ").append(basic).append("\r\n")
                .append("Connection: close\r\n");
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
