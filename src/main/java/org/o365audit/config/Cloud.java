package org.o365audit.config;

import java.net.URI;

/**
 * The Microsoft clouds the Management Activity API runs in, with the API host, the login host and the
 * token resource of each (shared/docs/o365-api.md 1.1). China's management host is not in Microsoft's
 * reference; it is taken from Microsoft's own endpoint script and may need {@code api-url}.
 */
public enum Cloud {
    ENTERPRISE("enterprise", "https://manage.office.com", "https://login.microsoftonline.com"),
    GCC("gcc", "https://manage-gcc.office.com", "https://login.microsoftonline.com"),
    GCC_HIGH("gcc-high", "https://manage.office365.us", "https://login.microsoftonline.us"),
    DOD("dod", "https://manage.protection.apps.mil", "https://login.microsoftonline.us"),
    CHINA("china", "https://manage.office.cn", "https://login.partner.microsoftonline.cn");

    private final String key;
    private final String apiUrl;
    private final String loginUrl;

    Cloud(String key, String apiUrl, String loginUrl) {
        this.key = key;
        this.apiUrl = apiUrl;
        this.loginUrl = loginUrl;
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
