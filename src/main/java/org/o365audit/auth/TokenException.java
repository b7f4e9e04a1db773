package org.o365audit.auth;

import org.o365audit.config.Tenant;

/** The login endpoint did not give a token. The message names the tenant and the error, never the secret. */
public class TokenException extends RuntimeException {
    public TokenException(Tenant tenant, String what, Throwable cause) {
        super("tenant " + tenant.name() + " (" + tenant.tenantId() + "): token request to " + tenant.loginUrl()
                + " failed: " + what, cause);
    }
}
