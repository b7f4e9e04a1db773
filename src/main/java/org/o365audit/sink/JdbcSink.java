package org.o365audit.sink;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The JDBC sink's step before camel-sql: the table on first use, and one parameter map per record. */
@Component("jdbcSink")
public class JdbcSink {
    public static final String CREATE_TABLE = "O365JdbcCreateTable";

    private final Set<String> tablesChecked = ConcurrentHashMap.newKeySet();

    public List<Map<String, Object>> rows(Exchange ex) {
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        String ddl = ex.getProperty(CREATE_TABLE, String.class);
        if (ddl != null && !ddl.isBlank() && !tablesChecked.contains(sink)) {
            DataSource ds = ex.getContext().getRegistry().lookupByNameAndType("sinkDataSource-" + sink, DataSource.class);
            if (ds == null) {
                throw new IllegalStateException("sink " + sink + ": no DataSource bean sinkDataSource-" + sink);
            }
            new JdbcTemplate(ds).execute(ddl);
            tablesChecked.add(sink);
        }
        SinkBatch batch = ex.getIn().getBody(SinkBatch.class);
        List<Map<String, Object>> rows = new ArrayList<>(batch.size());
        for (SinkRecord r : batch.records()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenantId", r.getTenantId());
            m.put("id", r.getId());
            m.put("tenantName", r.getTenantName());
            m.put("app", r.getApp());
            m.put("contentType", r.getContentType());
            m.put("recordTypeName", r.getRecordTypeName());
            m.put("operation", r.getOperation());
            m.put("userId", r.getUserId());
            m.put("clientIp", r.getClientIp());
            m.put("creationTime", r.getCreationTime() == null ? null : Timestamp.from(r.getCreationTime()));
            m.put("collectedAt", Timestamp.from(r.getCollectedAt()));
            m.put("actorDisplayName", r.getActorDisplayName());
            m.put("actorDepartment", r.getActorDepartment());
            m.put("actorGroups", r.getActorGroups());
            m.put("actorOnPremisesSync", r.getActorOnPremisesSync());
            m.put("actorAppId", r.getActorAppId());
            m.put("actorAppName", r.getActorAppName());
            m.put("raw", r.getRaw());
            rows.add(m);
        }
        return rows;
    }
}
