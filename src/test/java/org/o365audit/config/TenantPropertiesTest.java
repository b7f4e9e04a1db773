package org.o365audit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

class TenantPropertiesTest {

    private static TenantProperties tenant() {
        TenantProperties p = new TenantProperties();
        p.setName("contoso");
        p.setTenantId("8d4121ed-0008-406d-bff9-0d5bb312183c");
        p.setClientId("fb78d390-0c51-40cd-8e17-fdbfab77341b");
        p.setClientSecret("s3cr3t-value");
        return p;
    }

    @Test
    void eachCloudPicksItsApiHostLoginHostAndScope() {
        record Expect(String cloud, String api, String login, String scope) {
        }
        for (Expect e : List.of(
                new Expect("enterprise", "https://manage.office.com", "https://login.microsoftonline.com", "https://manage.office.com/.default"),
                new Expect("gcc", "https://manage-gcc.office.com", "https://login.microsoftonline.com", "https://manage-gcc.office.com/.default"),
                new Expect("gcc-high", "https://manage.office365.us", "https://login.microsoftonline.us", "https://manage.office365.us/.default"),
                new Expect("dod", "https://manage.protection.apps.mil", "https://login.microsoftonline.us", "https://manage.protection.apps.mil/.default"),
                new Expect("china", "https://manage.office.cn", "https://login.partner.microsoftonline.cn", "https://manage.office.cn/.default"))) {
            TenantProperties p = tenant();
            p.setCloud(e.cloud());
            Tenant t = p.resolve(0);
            assertThat(t.apiUrl()).isEqualTo(e.api());
            assertThat(t.loginUrl()).isEqualTo(e.login());
            assertThat(t.cloud().scope()).isEqualTo(e.scope());
            assertThat(t.authority()).isEqualTo(e.login() + "/8d4121ed-0008-406d-bff9-0d5bb312183c/");
            assertThat(t.feedRoot()).isEqualTo(e.api() + "/api/v1.0/8d4121ed-0008-406d-bff9-0d5bb312183c/activity/feed");
            assertThat(t.microsoftLogin()).isTrue();
        }
    }

    @Test
    void auditSearchIsOffByDefaultAndRefusedInCloudsWithoutTheAuditLogQueryApi() {
        assertThat(tenant().resolve(0).auditSearch()).isFalse();
        assertThat(tenant().resolve(0).has(TenantComponent.SEARCH)).isFalse();
        for (String cloud : List.of("enterprise", "gcc")) {
            TenantProperties p = tenant();
            p.setCloud(cloud);
            p.setAuditSearch(true);
            assertThat(p.resolve(0).has(TenantComponent.SEARCH)).isTrue();
        }
        for (String cloud : List.of("gcc-high", "dod", "china")) {
            TenantProperties p = tenant();
            p.setCloud(cloud);
            p.setAuditSearch(true);
            assertThatThrownBy(() -> p.resolve(2)).hasMessageStartingWith("o365.tenants[2].audit-search: ")
                    .hasMessageContaining(cloud);
        }
        TenantProperties listed = tenant();
        listed.setComponents(List.of("activities", "search"));
        assertThatThrownBy(() -> listed.resolve(0)).hasMessageContaining("audit-search: true");
    }

    @Test
    void defaultsToEnterpriseAllContentTypesAndTheTenantAsPublisher() {
        Tenant t = tenant().resolve(0);
        assertThat(t.cloud()).isEqualTo(Cloud.ENTERPRISE);
        assertThat(t.contentTypes()).containsExactlyElementsOf(ContentType.ALL);
        assertThat(t.publisherId()).isEqualTo("8d4121ed-0008-406d-bff9-0d5bb312183c");
    }

    @Test
    void overridesHostsForAPrivateEndpointAndSkipsDiscoveryThere() {
        TenantProperties p = tenant();
        p.setApiUrl("https://localhost:8443/");
        p.setLoginUrl("https://localhost:8443");
        Tenant t = p.resolve(0);
        assertThat(t.apiUrl()).isEqualTo("https://localhost:8443");
        assertThat(t.authority()).isEqualTo("https://localhost:8443/8d4121ed-0008-406d-bff9-0d5bb312183c/");
        assertThat(t.microsoftLogin()).isFalse();
    }

    @Test
    void refusesBothOrNeitherSecretAndCertificateNamingTheKey() {
        TenantProperties both = tenant();
        both.setCertificatePath("/etc/o365/c.pfx");
        assertThatThrownBy(() -> both.resolve(2)).hasMessageContaining("o365.tenants[2]")
                .hasMessageContaining("exactly one of client-secret or certificate-path");
        TenantProperties neither = tenant();
        neither.setClientSecret(null);
        assertThatThrownBy(() -> neither.resolve(0)).hasMessageContaining("exactly one");
    }

    @Test
    void refusesUnknownCloudsAndContentTypesNamingTheKey() {
        TenantProperties p = tenant();
        p.setCloud("germany");
        assertThatThrownBy(() -> p.resolve(1)).hasMessageContaining("o365.tenants[1].cloud").hasMessageContaining("germany");
        TenantProperties q = tenant();
        q.setContentTypes(List.of("Audit.Exchange", "Audit.Teams"));
        assertThatThrownBy(() -> q.resolve(0)).hasMessageContaining("o365.tenants[0].content-types").hasMessageContaining("Audit.Teams");
    }

    @Test
    void neverShowsSecretsInToString() {
        TenantProperties p = tenant();
        p.setClientSecret("s3cr3t-value");
        assertThat(p.resolve(0).toString()).doesNotContain("s3cr3t-value").contains("contoso");
    }

    // --- o365.tenants as written in config/application.yaml ---

    @Test
    void aWellFormedTenantListBindsWhole() {
        List<TenantProperties> tenants = TenantProperties.bindStrictly(yaml("""
                o365:
                  tenants:
                    - name: contoso
                      tenant-id: 8d4121ed-0008-406d-bff9-0d5bb312183c
                      client-id: fb78d390-0c51-40cd-8e17-fdbfab77341b
                      client-secret: s3cr3t-value
                      content-types: [Audit.Exchange]
                      powerbi:
                        enabled: true
                      dataverse:
                        environments: [https://contoso.crm.dynamics.com]
                """));
        assertThat(tenants).singleElement().satisfies(t -> {
            assertThat(t.getName()).isEqualTo("contoso");
            assertThat(t.getContentTypes()).containsExactly("Audit.Exchange");
            assertThat(t.getPowerbi().isEnabled()).isTrue();
            assertThat(t.getDataverse().getEnvironments()).containsExactly("https://contoso.crm.dynamics.com");
        });
    }

    @Test
    void aMapWhereTheTenantListBelongsIsRefusedNotReadAsNoTenant() {
        Binder binder = yaml("""
                o365:
                  tenants:
                    contoso:
                      tenant-id: 8d4121ed-0008-406d-bff9-0d5bb312183c
                      client-id: fb78d390-0c51-40cd-8e17-fdbfab77341b
                      client-secret: s3cr3t-value
                """);
        assertThatThrownBy(() -> TenantProperties.bindStrictly(binder)).hasMessageStartingWith("o365.tenants: ")
                .hasMessageContaining("o365.tenants.contoso.tenant-id").hasMessageContaining("is a list")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void aMisspeltKeyInATenantIsRefusedNotIgnored() {
        Binder binder = yaml("""
                o365:
                  tenants:
                    - name: contoso
                      tenant-id: 8d4121ed-0008-406d-bff9-0d5bb312183c
                      client-id: fb78d390-0c51-40cd-8e17-fdbfab77341b
                      client-secret: s3cr3t-value
                      content-type: [Audit.Exchange]
                """);
        assertThatThrownBy(() -> TenantProperties.bindStrictly(binder))
                .hasMessageContaining("o365.tenants[0].content-type[0]");
    }

    @Test
    void aListWhereAnObjectBelongsIsRefused() {
        Binder binder = yaml("""
                o365:
                  tenants:
                    - name: contoso
                      tenant-id: 8d4121ed-0008-406d-bff9-0d5bb312183c
                      client-id: fb78d390-0c51-40cd-8e17-fdbfab77341b
                      client-secret: s3cr3t-value
                      dataverse:
                        - https://contoso.crm.dynamics.com
                """);
        assertThatThrownBy(() -> TenantProperties.bindStrictly(binder)).hasMessageContaining("o365.tenants[0].dataverse[0]");
    }

    @Test
    void aSingleValueWhereTheTenantListBelongsIsRefused() {
        Binder binder = yaml("""
                o365:
                  tenants: contoso
                """);
        assertThatThrownBy(() -> TenantProperties.bindStrictly(binder)).hasMessageStartingWith("o365.tenants: cannot bind");
    }

    @Test
    void tenantsGivenAsEnvironmentVariablesBind() {
        Map<String, Object> variables = Map.of(
                "O365_TENANTS_0_NAME", "contoso",
                "O365_TENANTS_0_TENANTID", "8d4121ed-0008-406d-bff9-0d5bb312183c",
                "O365_TENANTS_0_CLIENTID", "fb78d390-0c51-40cd-8e17-fdbfab77341b",
                "O365_TENANTS_0_CLIENTSECRET", "s3cr3t-value",
                "O365_TENANTS_0_POWERBI_ENABLED", "true");
        Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));

        assertThat(TenantProperties.bindStrictly(binder)).singleElement().satisfies(t -> {
            assertThat(t.getClientSecret()).isEqualTo("s3cr3t-value");
            assertThat(t.getPowerbi().isEnabled()).isTrue();
        });
    }

    @Test
    void noTenantsIsAnEmptyList() {
        assertThat(TenantProperties.bindStrictly(yaml("""
                o365:
                  tenants: []
                """))).isEmpty();
        assertThat(TenantProperties.bindStrictly(yaml("""
                o365:
                  poll-interval: 1m
                """))).isEmpty();
    }

    private static Binder yaml(String text) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("test.yaml",
                    new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
            return new Binder(ConfigurationPropertySources.from(sources));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void componentsDefaultToActivitiesAlone() {
        Tenant t = tenant().resolve(0);
        assertThat(t.components()).containsExactly(TenantComponent.ACTIVITIES);
        assertThat(t.interactiveSignInsOnly()).isFalse();
    }

    @Test
    void graphComponentsUseTheCloudsOwnGraphHostAndScope() {
        record Expect(String cloud, String graph) {
        }
        for (Expect e : List.of(new Expect("enterprise", "https://graph.microsoft.com"),
                new Expect("gcc", "https://graph.microsoft.com"), new Expect("gcc-high", "https://graph.microsoft.us"),
                new Expect("dod", "https://dod-graph.microsoft.us"), new Expect("china", "https://microsoftgraph.chinacloudapi.cn"))) {
            TenantProperties p = tenant();
            p.setCloud(e.cloud());
            p.setComponents(List.of("activities", "accounts", "apps", "signins"));
            Tenant t = p.resolve(0);
            assertThat(t.graphUrl()).isEqualTo(e.graph());
            assertThat(t.cloud().graphScope()).isEqualTo(e.graph() + "/.default");
            assertThat(t.components()).containsExactlyInAnyOrder(TenantComponent.ACTIVITIES, TenantComponent.ACCOUNTS,
                    TenantComponent.APPS, TenantComponent.SIGNINS);
        }
        TenantProperties p = tenant();
        p.setGraphUrl("https://127.0.0.1:8443/graph/");
        assertThat(p.resolve(0).graphUrl()).isEqualTo("https://127.0.0.1:8443/graph");
    }

    @Test
    void withoutActivitiesNoContentTypeIsPolled() {
        TenantProperties p = tenant();
        p.setComponents(List.of("accounts"));
        Tenant t = p.resolve(0);
        assertThat(t.contentTypes()).isEmpty();
        assertThat(t.has(TenantComponent.ACCOUNTS)).isTrue();
    }

    @Test
    void filesWithoutActivitiesStopsTheStartWithOneLine() {
        TenantProperties p = tenant();
        p.setComponents(List.of("accounts", "files"));
        assertThatThrownBy(() -> p.resolve(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("o365.tenants[2].components: files requires activities (the files component follows the"
                        + " activities that touch files); add activities or remove files");
    }

    @Test
    void filesWithActivitiesIsAComponentOfItsOwn() {
        TenantProperties p = tenant();
        p.setComponents(List.of("activities", "files"));
        Tenant t = p.resolve(0);
        assertThat(t.has(TenantComponent.FILES)).isTrue();
        assertThat(TenantComponent.FILES.template()).isEqualTo("file-watch");
    }

    @Test
    void noGovernanceActionIsAllowedUnlessListed() {
        Tenant none = tenant().resolve(0);
        assertThat(GovernanceAction.values()).noneMatch(none::allows);
        assertThat(none.governanceDryRunOnly()).isFalse();

        TenantProperties p = tenant();
        p.getGovernance().setActions(List.of("suspend-user", "Remove-Sharing"));
        p.getGovernance().setDryRunOnly(true);
        Tenant t = p.resolve(0);
        assertThat(t.allows(GovernanceAction.SUSPEND_USER)).isTrue();
        assertThat(t.allows(GovernanceAction.REMOVE_SHARING)).isTrue();
        assertThat(t.allows(GovernanceAction.REVOKE_SESSIONS)).isFalse();
        assertThat(t.governanceDryRunOnly()).isTrue();
    }

    @Test
    void anUnknownGovernanceActionStopsTheStartNamingTheKey() {
        TenantProperties p = tenant();
        p.getGovernance().setActions(List.of("suspend-user", "delete-user"));
        assertThatThrownBy(() -> p.resolve(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("o365.tenants[1].governance.actions: unknown action 'delete-user' (expected suspend-user,"
                        + " revoke-sessions, remove-sharing, confirm-compromised)");
    }

    @Test
    void anUnknownOrEmptyComponentListIsRefused() {
        TenantProperties p = tenant();
        p.setComponents(List.of("activities", "acounts"));
        assertThatThrownBy(() -> p.resolve(0)).hasMessageStartingWith("o365.tenants[0].components: unknown component 'acounts'");
        p.setComponents(List.of());
        assertThatThrownBy(() -> p.resolve(0)).hasMessageStartingWith("o365.tenants[0].components: empty");
    }

    @Test
    void signInsIsAllOrInteractiveAndLegacy() {
        TenantProperties p = tenant();
        p.setSignIns("interactive-and-legacy");
        assertThat(p.resolve(0).interactiveSignInsOnly()).isTrue();
        p.setSignIns("interactive");
        assertThatThrownBy(() -> p.resolve(0)).hasMessage(
                "o365.tenants[0].sign-ins: 'interactive' is neither all nor interactive-and-legacy");
    }

    @Test
    void aWebhookNeedsHttpsAndAnAuthIdAndStaysOutOfToString() {
        TenantProperties p = tenant();
        assertThat(p.resolve(0).pushEnabled()).isFalse();
        p.getWebhook().setAddress("http://collector.contoso.com/api/o365/notifications/contoso");
        p.getWebhook().setAuthId("hook-secret");
        assertThatThrownBy(() -> p.resolve(0)).hasMessageStartingWith("o365.tenants[0].webhook.address: ");
        p.getWebhook().setAddress("http://127.0.0.1:8080/api/o365/notifications/contoso");
        assertThat(p.resolve(0).pushEnabled()).isTrue();
        p.getWebhook().setAddress("https://collector.contoso.com/api/o365/notifications/contoso");
        p.getWebhook().setAuthId(" ");
        assertThatThrownBy(() -> p.resolve(0)).hasMessageStartingWith("o365.tenants[0].webhook.auth-id: required");
        p.getWebhook().setAuthId("hook-secret");
        Tenant t = p.resolve(0);
        assertThat(t.webhookAddress()).isEqualTo("https://collector.contoso.com/api/o365/notifications/contoso");
        assertThat(t.webhookAuthId()).isEqualTo("hook-secret");
        assertThat(t.toString()).doesNotContain("hook-secret");
    }
}
