package org.o365audit.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Header;
import org.o365audit.config.Tenant;
import org.o365audit.record.AuditEvent;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * For a tenant with {@code sign-ins: interactive-and-legacy}, leaves out the Azure AD logon records
 * (AzureActiveDirectoryStsLogon) that are neither interactive nor legacy-protocol ({@link SignInKind}), counted in
 * the blob's stats and logged per batch. Only those records are parsed; every other record passes untouched.
 */
@Component("signInFilter")
public class SignInFilter {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.progress");

    private final TenantRegistry tenants;
    private final ObjectMapper mapper;

    public SignInFilter(TenantRegistry tenants, ObjectMapper mapper) {
        this.tenants = tenants;
        this.mapper = mapper;
    }

    public EnrichedBatch keep(@Header(Headers.TENANT_ID) String tenantId, EnrichedBatch batch) {
        Tenant tenant = tenants.get(tenantId);
        if (tenant == null || !tenant.interactiveSignInsOnly()) {
            return batch;
        }
        List<AuditEvent> kept = new ArrayList<>(batch.events().size());
        for (AuditEvent e : batch.events()) {
            if (!isStsLogon(e) || kind(e).kept()) {
                kept.add(e);
            }
        }
        int left = batch.events().size() - kept.size();
        if (left == 0) {
            return batch;
        }
        batch.stats().filtered(left);
        LOG.debug("tenant {} {} blob {}: {} non-interactive sign-in record(s) left out (sign-ins: interactive-and-legacy)",
                tenant.name(), batch.stats().blob().contentType(),
                Texts.printable(batch.stats().blob().contentId(), 600), left);
        return new EnrichedBatch(batch.stats(), kept, batch.defects());
    }

    private static boolean isStsLogon(AuditEvent e) {
        return e.recordType() != null && e.recordType() == SignInKind.STS_LOGON;
    }

    private SignInKind kind(AuditEvent e) {
        try {
            return SignInKind.ofStsLogon(mapper.readTree(e.raw()));
        } catch (JsonProcessingException ex) {
            return SignInKind.UNKNOWN;
        }
    }
}
