package org.o365audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class DirectoryLookupTest {
    private static final DriverManagerDataSource H2 = new DriverManagerDataSource("jdbc:h2:mem:lookup;DB_CLOSE_DELAY=-1");

    static {
        Flyway.configure().dataSource(H2).placeholders(SqlDialect.H2.migrationPlaceholders()).load().migrate();
    }

    private final AtomicInteger connections = new AtomicInteger();
    private final DelegatingDataSource counted = new DelegatingDataSource(H2) {
        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return super.getConnection();
        }
    };
    private final JdbcTemplate jdbc = new JdbcTemplate(H2);

    @Test
    void aTenantWithNeitherAccountsNorAppsCostsNoQuery() {
        DirectoryLookup lookup = new DirectoryLookup(counted, Duration.ZERO);

        assertThat(lookup.of(tenant("activities"))).isSameAs(Directory.EMPTY);
        assertThat(lookup.of(tenant("activities", "signins"))).isSameAs(Directory.EMPTY);
        assertThat(connections).hasValue(0);
    }

    @Test
    void theTablesAreAskedAtMostOncePerCheckInterval() {
        Tenant t = tenant("activities", "accounts");
        user(t, "u-1", "Adele@contoso.com", "Adele Vance");
        DirectoryLookup lookup = new DirectoryLookup(counted, Duration.ofHours(1));

        Directory first = lookup.of(t);
        int asked = connections.get();
        user(t, "u-2", "megan@contoso.com", "Megan Bowen");
        for (int i = 0; i < 1000; i++) {
            assertThat(lookup.of(t)).isSameAs(first);
        }
        assertThat(first.byUpn("ADELE@contoso.com").displayName()).isEqualTo("Adele Vance");
        assertThat(connections).as("no query per record").hasValue(asked);
    }

    @Test
    void anUnchangedDirectoryIsCheckedButNotReloaded() {
        Tenant t = tenant("activities", "accounts", "apps");
        user(t, "u-1", "adele@contoso.com", "Adele Vance");
        DirectoryLookup lookup = new DirectoryLookup(H2, Duration.ZERO);

        Directory first = lookup.of(t);
        assertThat(lookup.of(t)).isSameAs(first);
        user(t, "u-2", "megan@contoso.com", "Megan Bowen");
        assertThat(lookup.of(t).byObjectId("U-2").displayName()).isEqualTo("Megan Bowen");
    }

    @Test
    void groupsAreTheMicrosoft365OnesSortedAndCutToTheirColumn() {
        Tenant t = tenant("activities", "accounts");
        user(t, "u-1", "adele@contoso.com", "Adele Vance");
        group(t, "g-b", "retail", "microsoft365", "u-1");
        group(t, "g-a", "All Company", "microsoft365", "u-1");
        group(t, "g-s", "Admins", "security", "u-1");
        Tenant many = tenant("activities", "accounts");
        user(many, "u-9", "many@contoso.com", "Many Groups");
        for (int i = 0; i < 30; i++) {
            group(many, "g-" + i, "Project %02d %s".formatted(i, "x".repeat(100)), "microsoft365", "u-9");
        }
        DirectoryLookup lookup = new DirectoryLookup(H2, Duration.ZERO);

        assertThat(lookup.of(t).byUpn("adele@contoso.com").groups()).isEqualTo("All Company; retail");
        String cut = lookup.of(many).byUpn("many@contoso.com").groups();
        assertThat(cut).hasSize(2000).startsWith("Project 00 ");
    }

    private static Tenant tenant(String... components) {
        TenantProperties p = new TenantProperties();
        p.setName("t-" + UUID.randomUUID().toString().substring(0, 8));
        p.setTenantId(UUID.randomUUID().toString());
        p.setClientId("11111111-2222-3333-4444-555555555555");
        p.setClientSecret("not-a-secret");
        p.setComponents(List.of(components));
        return p.resolve(0);
    }

    private void user(Tenant t, String id, String upn, String name) {
        jdbc.update("""
                INSERT INTO directory_user (tenant_id, id, user_principal_name, upn_lower, display_name, seen_round, updated_at)
                VALUES (?, ?, ?, ?, ?, 1, ?)""", t.tenantId(), id, upn, upn.toLowerCase(), name, Timestamp.from(Instant.now()));
    }

    private void group(Tenant t, String id, String name, String kind, String member) {
        jdbc.update("INSERT INTO directory_group (tenant_id, id, display_name, kind, dynamic, seen_round, updated_at) "
                + "VALUES (?, ?, ?, ?, FALSE, 1, ?)", t.tenantId(), id, name, kind, Timestamp.from(Instant.now()));
        jdbc.update("INSERT INTO directory_member (tenant_id, group_id, member_id, seen_round) VALUES (?, ?, ?, 1)",
                t.tenantId(), id, member);
    }
}
