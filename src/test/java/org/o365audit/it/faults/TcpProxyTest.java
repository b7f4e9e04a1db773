package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the machine's PostgreSQL at 127.0.0.1:5432 (database test, trust auth). */
class TcpProxyTest {
    private TcpProxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = TcpProxy.to("127.0.0.1", 5432);
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void carriesJdbcToPostgres() throws Exception {
        try (Connection c = connect("")) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void cutBreaksOpenConnectionsAndRefusesNewOnesUntilRestored() throws Exception {
        try (Connection open = connect("")) {
            assertThat(selectOne(open)).isEqualTo(1);

            proxy.cut();

            assertThatThrownBy(() -> selectOne(open)).isInstanceOf(SQLException.class);
            // usually "refused"; another JVM's proxy may have taken the freed port meanwhile (20000-31999 is shared by
            // every test JVM on the machine), and then the attempt fails otherwise: either way nothing gets through
            assertThatThrownBy(() -> connect("?connectTimeout=5")).isInstanceOf(SQLException.class);
        }
        proxy.restore();
        try (Connection again = connect("")) {
            assertThat(selectOne(again)).isEqualTo(1);
        }
    }

    @Test
    void cutResetsIdleConnectionsAtOnce() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", proxy.port())) {
            idle.setSoTimeout(5_000);
            // PostgreSQL's SSLRequest: its one-byte answer proves the link reaches the server; then it sits idle
            new DataOutputStream(idle.getOutputStream()).writeLong((8L << 32) | 80877103);
            assertThat(idle.getInputStream().read()).isIn((int) 'N', (int) 'S');
            proxy.cut();
            assertThatThrownBy(() -> idle.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void canBeCutAndRestoredAgainAndAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            proxy.cut();
            assertThatThrownBy(() -> connect("")).isInstanceOf(SQLException.class);
            proxy.restore();
            try (Connection c = connect("")) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void blackholeHoldsAQueryUntilRestored() throws Exception {
        try (Connection open = connect("")) {
            assertThat(selectOne(open)).isEqualTo(1);

            proxy.blackhole();
            CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return selectOne(open);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertThat(held).as("no answer through a hung network").isNotDone();

            proxy.restore();
            assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void blackholeAcceptsNewConnectionsButNeverAnswers() throws Exception {
        proxy.blackhole();
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect("?loginTimeout=2")).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the login timeout").isGreaterThan(Duration.ofMillis(1500));

        proxy.restore();
        try (Connection c = connect("")) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void refusesOnceClosed() {
        proxy.close();
        // Usually "refused"; the freed port may also be taken by another process or, being in the
        // ephemeral range, connect to itself, and then the driver reports a failed attempt. Either
        // way nothing reaches PostgreSQL through a closed proxy.
        assertThatThrownBy(() -> connect("?connectTimeout=5")).isInstanceOf(SQLException.class);
    }

    private Connection connect(String options) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test" + options, "postgres", "");
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            r.next();
            return r.getInt(1);
        }
    }
}
