package org.o365audit.ops;

import java.util.Map;

/**
 * What an error code from Microsoft (the Management Activity API's AFxxxxx, the token endpoint's OAuth errors)
 * means for the person running the collector, and what to do about it.
 */
public final class Troubleshooting {
    private static final Map<String, String> ADVICE = Map.ofEntries(
            Map.entry("AF20023", "Auditing is off or the subscription was disabled: turn on auditing in Microsoft Purview"
                    + " (Audit, Start recording user and admin activity); the collector starts the subscription again,"
                    + " at most every 15 minutes."),
            Map.entry("AF20022", "No subscription for this content type yet: the collector starts it on the next poll."),
            Map.entry("AF20012", "The tenant is not set up for the API: no Microsoft 365 licence is assigned, or the tenant"
                    + " is incorrectly configured."),
            Map.entry("AF20011", "The tenant does not exist or was deleted: check tenant-id."),
            Map.entry("AF20010", "The token was issued for another tenant: check tenant-id and login-url."),
            Map.entry("AF20013", "The tenant id is not a GUID: check tenant-id."),
            Map.entry("AF10001", "The app's token lacks ActivityFeed.Read: add the Office 365 Management APIs application"
                    + " permission ActivityFeed.Read and grant admin consent."),
            Map.entry("AF429", "Microsoft is throttling this tenant: the collector backs off and catches up; if it lasts,"
                    + " check publisher-id and how many collectors share the app."),
            Map.entry("AF50000", "Microsoft's service failed (AF50000): retried with back-off; nothing to do unless it lasts."),
            Map.entry("invalid_client", "The token endpoint refused the credentials (invalid_client): check client-id and the"
                    + " client secret or certificate (expired, rotated or mistyped?)."),
            Map.entry("unauthorized_client", "The app may not sign in to this tenant (unauthorized_client): check the app"
                    + " registration, that it is multi-tenant if needed, and admin consent in this tenant."),
            Map.entry("invalid_tenant", "The token endpoint does not know this tenant: check tenant-id and cloud."),
            Map.entry("invalid_request", "The token request was refused (invalid_request): check tenant-id, cloud and"
                    + " login-url."),
            Map.entry("token", "No token could be acquired: check tenant-id, client-id, the secret or certificate, and"
                    + " that the login host is reachable."),
            Map.entry("foreign-host", "Microsoft listed content on a host other than the tenant's API host; it was set"
                    + " aside without sending the token there. Check api-url."));

    private Troubleshooting() {
    }

    /**
     * What a Graph component's refusal means: "permission" (HTTP 403: the app lacks an application permission or
     * its admin consent) names the permissions to grant; "licence" says which licence the tenant lacks.
     */
    public static String graphAdvice(String component, String code, String permissions, String detail) {
        if ("permission".equals(code)) {
            return "Microsoft Graph refused the " + component + " component (403): grant the app registration the"
                    + " application permission(s) " + permissions + " on Microsoft Graph, with admin consent, in this"
                    + " tenant. The other components go on; this one tries again on its next run.";
        }
        if ("throttled".equals(code)) {
            return "Microsoft Graph is throttling this tenant's calls (429): the " + component + " component waits as"
                    + " Retry-After says and goes on from where it stopped; nothing to do unless it lasts (every app that"
                    + " uses the same app registration in this tenant shares its Graph budget).";
        }
        if ("licence".equals(code)) {
            return "The tenant has no Microsoft Entra ID P1 or P2 licence, which the Graph sign-in log requires: "
                    + component + " is tried again only hourly. Azure AD sign-ins still come through the activities"
                    + " component (Audit.AzureActiveDirectory).";
        }
        return detail == null ? "" : detail;
    }

    /** The advice for a code; for an unknown code, the error itself. */
    public static String advice(String code, String detail) {
        if (code != null) {
            String a = ADVICE.get(code);
            if (a != null) {
                return a;
            }
            if (code.startsWith("HTTP_5") || code.startsWith("AF5")) {
                return "Microsoft's service answered " + code.replace('_', ' ')
                        + ": retried with back-off; nothing to do unless it lasts.";
            }
        }
        return detail == null ? "" : detail;
    }
}
