package org.o365audit.collect;

import org.o365audit.config.Tenant;

/** Published when a tenant's routes were added ({@code started}) or removed. */
public record TenantStarted(Tenant tenant, boolean started) {
}
