package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimBlob;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.test.context.TestPropertySource;

/**
 * The operators' tools change what the routes do: pause and resume a tenant, backfill a window behind the
 * cursor, and readiness that goes down while the token endpoint refuses a tenant's credentials. The
 * operations are called as Hawtio and Jolokia call them, on the platform MBean server.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:operations;DB_CLOSE_DELAY=-1")
class OperationsTest extends CollectorTestBase {
    static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    HealthEndpoint health;

    @Test
    void pauseStopsCollectingAndResumeCatchesUp() throws Exception {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "pause-" + t.id(), 1, minutesAgo(20), 5));
        start(t);
        awaitStored(t, 5);
        ObjectName tenant = new ObjectName("o365audit:type=Tenant,name=" + t.props().getName());

        JMX.invoke(tenant, "pause", null, null);
        assertThat(jdbc.queryForObject("SELECT paused FROM tenant_control WHERE tenant_id = ?", Boolean.class, t.id())).isTrue();
        assertThat(JMX.getAttribute(tenant, "Paused")).isEqualTo(true);
        assertThat(JMX.getAttribute(contentType(t), "State")).isEqualTo("PAUSED");
        int listingsBefore = apiCalls(t, "/subscriptions/content").size();
        t.sim().addBlob(blob(t, "pause-" + t.id(), 2, minutesAgo(5), 7));
        Thread.sleep(4000);   // four poll intervals
        assertThat(stored(t)).isEqualTo(5);
        assertThat(apiCalls(t, "/subscriptions/content")).hasSize(listingsBefore);

        JMX.invoke(tenant, "resume", null, null);
        awaitStored(t, 12);
        assertThat(jdbc.queryForObject("SELECT paused FROM tenant_control WHERE tenant_id = ?", Boolean.class, t.id())).isFalse();
    }

    @Test
    void backfillCollectsAWindowBehindTheCursor() throws Exception {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "bf-" + t.id(), 1, minutesAgo(30), 4));
        start(t);
        awaitStored(t, 4);
        // created 20 h ago but listed only now: behind the cursor and the 12 h look-back, so no poll lists it
        Instant created = Instant.now().minus(Duration.ofHours(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("bf-" + t.id(), 2), created, Instant.now(),
                TestRecords.records(6, t.id(), created)));
        Thread.sleep(3000);
        assertThat(stored(t)).isEqualTo(4);

        String answer = (String) JMX.invoke(new ObjectName("o365audit:type=Tenant,name=" + t.props().getName()), "backfill",
                new Object[] {EXCHANGE, created.minus(Duration.ofHours(1)).toString(), created.plus(Duration.ofHours(1)).toString()},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
        assertThat(answer).contains("1 window(s)").contains(EXCHANGE);
        awaitStored(t, 10);
        assertThat(ledgered(t)).isEqualTo(2);
        // a request outside what the API keeps is refused with the reason
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> JMX.invoke(
                new ObjectName("o365audit:type=Tenant,name=" + t.props().getName()), "backfill",
                new Object[] {EXCHANGE, "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()}));
        assertThat(rootMessage(refused)).contains("last 7 days");
    }

    @Test
    void readinessGoesDownWhileTheTokenEndpointRefusesTheCredentialsAndRecovers() throws Exception {
        TestTenant t = tenant();
        t.props().setClientSecret("not-the-secret-" + UUID.randomUUID());
        t.sim().addBlob(blob(t, "token-" + t.id(), 1, minutesAgo(20), 3));
        start(t);
        await().atMost(PATIENCE).until(() -> readiness() == Status.DOWN);
        assertThat(JMX.getAttribute(contentType(t), "State")).isEqualTo("ERROR");
        assertThat(JMX.getAttribute(contentType(t), "ErrorCode")).isEqualTo("invalid_client");
        assertThat((String) JMX.getAttribute(contentType(t), "Message")).contains("check client-id");
        assertThat(stored(t)).isZero();

        // the secret is rotated on Microsoft's side to the one the collector has
        t.sim().registerSecret(t.props().getClientId(), t.props().getClientSecret());
        awaitStored(t, 3);
        await().atMost(PATIENCE).until(() -> readiness() == Status.UP);
        assertThat(JMX.getAttribute(contentType(t), "State")).isEqualTo("RUNNING");
    }

    @Test
    void noMBeanAttributeShowsASecret() throws Exception {
        TestTenant t = tenant();
        t.sim().addBlob(blob(t, "secret-" + t.id(), 1, minutesAgo(20), 2));
        start(t);
        awaitStored(t, 2);
        String secret = t.props().getClientSecret();
        for (ObjectName n : JMX.queryNames(null, null)) {
            for (var a : JMX.getMBeanInfo(n).getAttributes()) {
                Object v;
                try {
                    v = a.isReadable() ? JMX.getAttribute(n, a.getName()) : null;
                } catch (Exception | LinkageError unreadable) {
                    continue;
                }
                assertThat(String.valueOf(v)).as(n + " " + a.getName()).doesNotContain(secret);
            }
        }
    }

    Status readiness() {
        return health.healthForPath("readiness").getStatus();
    }

    static ObjectName contentType(TestTenant t) throws Exception {
        return new ObjectName("o365audit:type=ContentType,tenant=" + t.props().getName() + ",name=" + EXCHANGE);
    }

    static String rootMessage(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return r.getMessage();
    }

}
