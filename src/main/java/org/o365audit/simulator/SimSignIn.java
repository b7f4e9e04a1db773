package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of a simulated tenant's Graph sign-in log, with the v1.0 fields the collector reads (graph.md 4.2).
 * {@code errorCode} 0 is a success. {@code id} is the request id, which the tenant's AzureActiveDirectoryStsLogon
 * audit record of the same sign-in carries as its Id.
 */
public record SimSignIn(String id, Instant createdDateTime, String userPrincipalName, String appDisplayName,
        String clientAppUsed, boolean isInteractive, String ipAddress, int errorCode, String correlationId) {

    /** An interactive browser sign-in that succeeded. */
    public static SimSignIn browser(String id, Instant at, String upn) {
        return new SimSignIn(id, at, upn, "Office 365 Exchange Online", "Browser", true, "203.0.113.7", 0,
                java.util.UUID.randomUUID().toString());
    }

    ObjectNode json() {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("createdDateTime", createdDateTime.toString());
        n.put("userDisplayName", userPrincipalName.substring(0, userPrincipalName.indexOf('@')));
        n.put("userPrincipalName", userPrincipalName);
        n.put("userId", java.util.UUID.nameUUIDFromBytes(userPrincipalName.getBytes()).toString());
        n.put("appId", "00000002-0000-0ff1-ce00-000000000000");
        n.put("appDisplayName", appDisplayName);
        n.put("ipAddress", ipAddress);
        n.put("clientAppUsed", clientAppUsed);
        n.put("correlationId", correlationId);
        n.put("conditionalAccessStatus", "notApplied");
        n.put("isInteractive", isInteractive);
        n.put("riskLevelDuringSignIn", "none");
        n.put("riskState", "none");
        ObjectNode status = n.putObject("status");
        status.put("errorCode", errorCode);
        if (errorCode == 0) {
            status.putNull("failureReason");
        } else {
            status.put("failureReason", "Error validating credentials due to invalid username or password.");
        }
        status.putNull("additionalDetails");
        ObjectNode device = n.putObject("deviceDetail");
        device.put("operatingSystem", "Windows 10");
        device.put("browser", "Chrome 104.0.0");
        ObjectNode location = n.putObject("location");
        location.put("city", "Redmond");
        location.put("state", "Washington");
        location.put("countryOrRegion", "US");
        return n;
    }
}
