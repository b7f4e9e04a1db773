package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Which tenants an operator paused; a pause outlives a restart. */
@Component
public class TenantControl {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public TenantControl(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    public boolean isPaused(String tenantId) {
        List<Boolean> p = jdbc.queryForList("SELECT paused FROM tenant_control WHERE tenant_id = ?", Boolean.class, tenantId);
        return !p.isEmpty() && Boolean.TRUE.equals(p.get(0));
    }

    public void setPaused(String tenantId, boolean paused) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("UPDATE tenant_control SET paused = ?, changed_at = ? WHERE tenant_id = ?", paused, now, tenantId) == 0) {
            jdbc.update("INSERT INTO tenant_control (tenant_id, paused, changed_at) VALUES (?, ?, ?)", tenantId, paused, now);
        }
    }
}
