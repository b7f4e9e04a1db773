package org.o365audit.api;

/**
 * What a Graph error answer means for a component (shared/docs/graph.md 6, 7): branch on the status and the
 * error's code, never on its message.
 */
public final class GraphErrors {
    /** Graph's answer when the tenant has no Entra ID P1/P2 licence for sign-in logs (graph.md 4.4). */
    public static final String NO_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

    private GraphErrors() {
    }

    /** The app lacks an application permission (or admin consent) for the call. */
    public static boolean missingPermission(Throwable e) {
        return e instanceof ManagementApiException m && m.status() == 403 && !licenceMissing(e)
                && !m.throttled();
    }

    /** The tenant's licence does not include what was asked (sign-in logs need Entra ID P1 or P2). */
    public static boolean licenceMissing(Throwable e) {
        return e instanceof ManagementApiException m && m.is(NO_PREMIUM);
    }

    /**
     * A delta or skip token the service no longer knows: 410 Gone, or {@code syncStateNotFound} /
     * {@code resyncRequired} (directory delta tokens live 7 days); the answer is a full read again.
     */
    public static boolean deltaExpired(Throwable e) {
        return e instanceof ManagementApiException m && (m.status() == 410 || m.is("syncStateNotFound")
                || m.is("resyncRequired") || m.is("SyncStateNotFound"));
    }
}
