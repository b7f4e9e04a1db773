package org.o365audit.config;

import jakarta.validation.constraints.NotBlank;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;

/** One entry of {@code o365.tenants[i]}, as written in configuration. {@link Tenant} is the resolved form. */
public class TenantProperties {
    /** A short name for logs and the database. */
    @NotBlank
    private String name;
    /** The customer tenant's GUID. */
    @NotBlank
    private String tenantId;
    /** Application (client) id of the app registration with ActivityFeed.Read. */
    @NotBlank
    private String clientId;
    /** Client secret, from an environment variable placeholder. Either this or certificate-path. */
    private String clientSecret;
    /** PEM (private key + certificate) or PKCS#12 file for certificate authentication. */
    private String certificatePath;
    private String certificatePassword;
    /** enterprise (default), gcc, gcc-high, dod or china. */
    private String cloud = "enterprise";
    /** Overrides the cloud's API root, e.g. a private endpoint or a test fake. */
    private String apiUrl;
    /** Overrides the cloud's login host. */
    private String loginUrl;
    /** PublisherIdentifier sent on every call; defaults to the tenant id. */
    private String publisherId;
    /** Content types to collect; default all five. */
    private List<String> contentTypes = new ArrayList<>(ContentType.ALL);
    /** Optional PKCS#12 trust store for this tenant's endpoints (private endpoints, the simulator). */
    private String trustStore;
    private String trustStorePassword;
    /**
     * What this connection collects: activities (the Management Activity API), accounts (users, groups and
     * membership), apps (third-party apps with access), signins (the Graph sign-in log), files. Default: activities.
     */
    private List<String> components = new ArrayList<>(List.of("activities"));
    /** Overrides the cloud's Microsoft Graph root (e.g. a private endpoint or a test fake). */
    private String graphUrl;
    /**
     * Which sign-ins to keep, from the Management API's Azure AD logon records and from the Graph sign-in log:
     * all (default), or interactive-and-legacy (interactive sign-ins and sign-ins over legacy protocols only, as the
     * connector we are modelled on keeps them).
     */
    private String signIns = "all";
    /** The governance actions the connector may take in this tenant (none by default). */
    private Governance governance = new Governance();
    /**
     * Search the tenant's audit log beyond the Management API's 7 days through Microsoft Graph's audit log query API
     * (beta; AuditLogsQuery.Read.All): on request (JMX, REST) and for recorded gaps. Not in GCC High, DoD, China.
     */
    private boolean auditSearch;
    /** The Power BI admin activity-events feed of this tenant (delayed feed). */
    private PowerBi powerbi = new PowerBi();
    /** The Dataverse (Dynamics 365) audit tables of this tenant's environments (delayed feed). */
    private Dataverse dataverse = new Dataverse();

    /** Push notifications from the Management Activity API (optional): polling then runs as a slower safety net. */
    private Webhook webhook = new Webhook();

    public static class Webhook {
        /**
         * The public HTTPS URL Microsoft posts notifications to; it must reach this collector's
         * POST /api/o365/notifications/{tenant-id} (e.g. through a TLS reverse proxy). http is accepted for
         * 127.0.0.1 and localhost only (tests, development).
         */
        private String address;
        /** The secret Microsoft sends back in the Webhook-AuthID header; only as an ${ENV} placeholder. */
        private String authId;

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getAuthId() {
            return authId;
        }

        public void setAuthId(String authId) {
            this.authId = authId;
        }
    }

    public Webhook getWebhook() {
        return webhook;
    }

    public void setWebhook(Webhook webhook) {
        this.webhook = webhook;
    }

    public static class Governance {
        /**
         * The actions allowed: suspend-user, revoke-sessions, remove-sharing, confirm-compromised. Empty (the default):
         * every action is refused. Each needs its write permission granted to the app registration.
         */
        private List<String> actions = new ArrayList<>();
        /** True: every action only says what it would change, whatever the caller asks (a tenant on trial). */
        private boolean dryRunOnly;

        public List<String> getActions() {
            return actions;
        }

        public void setActions(List<String> actions) {
            this.actions = actions;
        }

        public boolean isDryRunOnly() {
            return dryRunOnly;
        }

        public void setDryRunOnly(boolean dryRunOnly) {
            this.dryRunOnly = dryRunOnly;
        }
    }

    public static class PowerBi {
        /** Collect Power BI activity events; the app needs the "read-only admin APIs" tenant setting. */
        private boolean enabled;
        /** Overrides the cloud's Power BI host (e.g. a test fake). */
        private String apiUrl;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getApiUrl() {
            return apiUrl;
        }

        public void setApiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
        }
    }

    public static class Dataverse {
        /** Environment URLs, e.g. https://contoso.crm.dynamics.com; the app must be an application user there. */
        private List<String> environments = new ArrayList<>();

        public List<String> getEnvironments() {
            return environments;
        }

        public void setEnvironments(List<String> environments) {
            this.environments = environments;
        }
    }

    public List<String> getComponents() {
        return components;
    }

    public void setComponents(List<String> components) {
        this.components = components;
    }

    public String getGraphUrl() {
        return graphUrl;
    }

    public void setGraphUrl(String graphUrl) {
        this.graphUrl = graphUrl;
    }

    public String getSignIns() {
        return signIns;
    }

    public void setSignIns(String signIns) {
        this.signIns = signIns;
    }

    public Governance getGovernance() {
        return governance;
    }

    public void setGovernance(Governance governance) {
        this.governance = governance;
    }

    public boolean isAuditSearch() {
        return auditSearch;
    }

    public void setAuditSearch(boolean auditSearch) {
        this.auditSearch = auditSearch;
    }

    public PowerBi getPowerbi() {
        return powerbi;
    }

    public void setPowerbi(PowerBi powerbi) {
        this.powerbi = powerbi;
    }

    public Dataverse getDataverse() {
        return dataverse;
    }

    public void setDataverse(Dataverse dataverse) {
        this.dataverse = dataverse;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getCertificatePath() {
        return certificatePath;
    }

    public void setCertificatePath(String certificatePath) {
        this.certificatePath = certificatePath;
    }

    public String getCertificatePassword() {
        return certificatePassword;
    }

    public void setCertificatePassword(String certificatePassword) {
        this.certificatePassword = certificatePassword;
    }

    public String getCloud() {
        return cloud;
    }

    public void setCloud(String cloud) {
        this.cloud = cloud;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    public String getLoginUrl() {
        return loginUrl;
    }

    public void setLoginUrl(String loginUrl) {
        this.loginUrl = loginUrl;
    }

    public String getPublisherId() {
        return publisherId;
    }

    public void setPublisherId(String publisherId) {
        this.publisherId = publisherId;
    }

    public List<String> getContentTypes() {
        return contentTypes;
    }

    public void setContentTypes(List<String> contentTypes) {
        this.contentTypes = contentTypes;
    }

    public String getTrustStore() {
        return trustStore;
    }

    public void setTrustStore(String trustStore) {
        this.trustStore = trustStore;
    }

    public String getTrustStorePassword() {
        return trustStorePassword;
    }

    public void setTrustStorePassword(String trustStorePassword) {
        this.trustStorePassword = trustStorePassword;
    }

    /**
     * Binds {@code o365.tenants} as {@code @ConfigurationProperties} would, but refuses every key under it that
     * binds to nothing: a map where the list belongs ({@code tenants: {contoso: ...}}), a list where an object
     * belongs, a misspelt key. Lenient binding drops such keys, which shortens the list (or empties it, and then
     * the simulator would run instead of the tenant). Fails with a message that starts with the key.
     */
    public static List<TenantProperties> bindStrictly(Binder binder) {
        try {
            return binder.bind("o365.tenants", Bindable.listOf(TenantProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseGet(List::of);
        } catch (BindException e) {
            if (e.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
                String keys = unbound.getUnboundProperties().stream().map(ConfigurationProperty::getName)
                        .map(String::valueOf).sorted().collect(Collectors.joining(", "));
                throw new IllegalArgumentException("o365.tenants: " + keys + " bind to nothing: o365.tenants is a list"
                        + " (each entry starts with '- name:') and its keys are name, tenant-id, client-id,"
                        + " client-secret, certificate-path, cloud, content-types... (see config/application.yaml)", e);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("o365.tenants: cannot bind " + (e.getProperty() == null ? e.getName()
                    : e.getProperty().getName()) + ": " + cause.getMessage(), e);
        }
    }

    /** Resolves hosts and defaults; fails with the key's name when the entry cannot work. */
    public Tenant resolve(int index) {
        String at = "o365.tenants[" + index + "]";
        boolean hasSecret = clientSecret != null && !clientSecret.isBlank();
        boolean hasCert = certificatePath != null && !certificatePath.isBlank();
        if (hasSecret == hasCert) {
            throw new IllegalArgumentException(at + ": set exactly one of client-secret or certificate-path");
        }
        Cloud c;
        try {
            c = Cloud.fromKey(cloud);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".cloud: " + e.getMessage(), e);
        }
        List<String> types = new ArrayList<>();
        for (String ct : contentTypes) {
            try {
                types.add(ContentType.requireKnown(ct));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".content-types: " + e.getMessage(), e);
            }
        }
        java.util.Set<TenantComponent> chosen = components(at);
        if (auditSearch) {
            requireAuditSearchCloud(at, c);
            java.util.Set<TenantComponent> withSearch = java.util.EnumSet.copyOf(chosen);
            withSearch.add(TenantComponent.SEARCH);
            chosen = java.util.Collections.unmodifiableSet(withSearch);
        }
        boolean interactiveOnly;
        if (signIns == null || signIns.isBlank() || signIns.trim().equalsIgnoreCase("all")) {
            interactiveOnly = false;
        } else if (signIns.trim().equalsIgnoreCase("interactive-and-legacy")) {
            interactiveOnly = true;
        } else {
            throw new IllegalArgumentException(at + ".sign-ins: '" + signIns + "' is neither all nor interactive-and-legacy");
        }
        return new Tenant(name, tenantId.trim(), clientId.trim(), hasSecret ? clientSecret : null,
                hasCert ? certificatePath : null, certificatePassword, c,
                Tenant.stripSlash(apiUrl != null && !apiUrl.isBlank() ? apiUrl : c.apiUrl().toString()),
                Tenant.stripSlash(loginUrl != null && !loginUrl.isBlank() ? loginUrl : c.loginUrl().toString()),
                publisherId != null && !publisherId.isBlank() ? publisherId.trim() : tenantId.trim(),
                chosen.contains(TenantComponent.ACTIVITIES) ? List.copyOf(types) : List.of(), trustStore, trustStorePassword,
                powerbi.isEnabled() ? Tenant.stripSlash(powerbi.getApiUrl() != null && !powerbi.getApiUrl().isBlank()
                        ? powerbi.getApiUrl() : c.powerBiApi()) : null,
                dataverse.getEnvironments().stream().map(Tenant::stripSlash).toList(), chosen,
                Tenant.stripSlash(graphUrl != null && !graphUrl.isBlank() ? graphUrl : c.graphUrl()), interactiveOnly,
                actions(at), governance != null && governance.isDryRunOnly(), webhookAddress(at),
                webhook == null || webhook.getAddress() == null || webhook.getAddress().isBlank() ? null : webhook.getAuthId(),
                auditSearch);
    }

    /** Graph's audit log query API exists in the worldwide cloud (GCC included, beta), not in the sovereign ones. */
    private static void requireAuditSearchCloud(String at, Cloud c) {
        if (c == Cloud.GCC_HIGH || c == Cloud.DOD || c == Cloud.CHINA) {
            throw new IllegalArgumentException(at + ".audit-search: Microsoft Graph's audit log query API does not exist"
                    + " in cloud " + c.key() + " (worldwide and GCC only); set audit-search: false");
        }
    }

    /** The webhook address, checked: https (http only on the loopback host, for tests), with an auth id. */
    private String webhookAddress(String at) {
        if (webhook == null || webhook.getAddress() == null || webhook.getAddress().isBlank()) {
            return null;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(webhook.getAddress().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".webhook.address: not a URL: " + e.getMessage(), e);
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost");
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !("http".equalsIgnoreCase(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException(at + ".webhook.address: Microsoft posts only to https URLs (http is"
                    + " accepted for 127.0.0.1 and localhost, for tests), not " + uri.getScheme() + "://" + host);
        }
        if (webhook.getAuthId() == null || webhook.getAuthId().isBlank()) {
            throw new IllegalArgumentException(at + ".webhook.auth-id: required with webhook.address (a secret, e.g."
                    + " ${O365_WEBHOOK_AUTH_ID}); it authenticates every notification");
        }
        return uri.toString();
    }

    /** The governance actions allowed, checked: known names only. */
    private java.util.Set<GovernanceAction> actions(String at) {
        java.util.Set<GovernanceAction> allowed = java.util.EnumSet.noneOf(GovernanceAction.class);
        for (String key : governance == null || governance.getActions() == null ? List.<String>of() : governance.getActions()) {
            try {
                allowed.add(GovernanceAction.fromKey(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".governance.actions: " + e.getMessage(), e);
            }
        }
        return java.util.Collections.unmodifiableSet(allowed);
    }

    /**
     * The components, checked: known names, at least one, and files only with activities (files are watched
     * through the activities that touch them, as in the connector we are modelled on).
     */
    private java.util.Set<TenantComponent> components(String at) {
        java.util.Set<TenantComponent> chosen = java.util.EnumSet.noneOf(TenantComponent.class);
        for (String key : components == null ? List.<String>of() : components) {
            try {
                chosen.add(TenantComponent.fromKey(key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".components: " + e.getMessage(), e);
            }
        }
        if (chosen.contains(TenantComponent.SEARCH)) {
            throw new IllegalArgumentException(at + ".components: search is not a component to list; set"
                    + " audit-search: true instead");
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(at + ".components: empty; list at least one of " + TenantComponent.keys());
        }
        if (chosen.contains(TenantComponent.FILES) && !chosen.contains(TenantComponent.ACTIVITIES)) {
            throw new IllegalArgumentException(at + ".components: files requires activities (the files component follows"
                    + " the activities that touch files); add activities or remove files");
        }
        return java.util.Collections.unmodifiableSet(chosen);
    }
}
