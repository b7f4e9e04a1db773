package org.o365audit.config;

import java.net.URI;

/**
 * The Microsoft clouds the Management Activity API runs in, with the API host, the login host and the
 * token resource of each (shared/docs/o365-api.md 1.1). China's management host is not in Microsoft's
 * reference; it is taken from Microsoft's own endpoint script and may need {@code api-url}.
 */
public enum Cloud {
    ENTERPRISE("enterprise", "https://manage.office.com", "https://login.microsoftonline.com",
            "https://api.powerbi.com", "https://analysis.windows.net/powerbi/api", "https://graph.microsoft.com"),
    GCC("gcc", "https://manage-gcc.office.com", "https://login.microsoftonline.com",
            "https://api.powerbigov.us", "https://analysis.usgovcloudapi.net/powerbi/api", "https://graph.microsoft.com"),
    GCC_HIGH("gcc-high", "https://manage.office365.us", "https://login.microsoftonline.us",
            "https://api.high.powerbigov.us", "https://high.analysis.usgovcloudapi.net/powerbi/api",
            "https://graph.microsoft.us"),
    DOD("dod", "https://manage.protection.apps.mil", "https://login.microsoftonline.us",
            "https://api.mil.powerbigov.us", "https://mil.analysis.usgovcloudapi.net/powerbi/api",
            "https://dod-graph.microsoft.us"),
    CHINA("china", "https://manage.office.cn", "https://login.partner.microsoftonline.cn",
            "https://api.powerbi.cn", "https://analysis.chinacloudapi.cn/powerbi/api",
            "https://microsoftgraph.chinacloudapi.cn");

    private final String key;
    private final String apiUrl;
    private final String loginUrl;
    private final String powerBiApi;
    private final String powerBiResource;
    private final String graphUrl;

    Cloud(String key, String apiUrl, String loginUrl, String powerBiApi, String powerBiResource, String graphUrl) {
        this.graphUrl = graphUrl;
        this.key = key;
        this.apiUrl = apiUrl;
        this.loginUrl = loginUrl;
        this.powerBiApi = powerBiApi;
        this.powerBiResource = powerBiResource;
    }

    /** Power BI REST host of the cloud (sovereign hosts per Microsoft's Power BI national-cloud docs; not reachable from here). */
    public String powerBiApi() {
        return powerBiApi;
    }

    /** Scope of a Power BI service-principal token in this cloud. */
    public String powerBiScope() {
        return powerBiResource + "/.default";
    }

    /**
     * Microsoft Graph's root in this cloud (shared/docs/graph.md 1): GCC keeps the worldwide host, GCC High and DoD
     * have their own, China is operated by 21Vianet.
     */
    public String graphUrl() {
        return graphUrl;
    }

    /** The scope of an app-only Graph token in this cloud: its own Graph host followed by {@code /.default}. */
    public String graphScope() {
        return graphUrl + "/.default";
    }

    public String key() {
        return key;
    }

    public URI apiUrl() {
        return URI.create(apiUrl);
    }

    public URI loginUrl() {
        return URI.create(loginUrl);
    }

    /** The v2 scope of the API: the resource followed by {@code /.default}. */
    public String scope() {
        return apiUrl + "/.default";
    }

    public static Cloud fromKey(String key) {
        if (key == null || key.isBlank()) {
            return ENTERPRISE;
        }
        for (Cloud c : values()) {
            if (c.key.equalsIgnoreCase(key.trim()) || c.name().equalsIgnoreCase(key.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cloud '" + key + "' (expected enterprise, gcc, gcc-high, dod or china)");
    }
}
