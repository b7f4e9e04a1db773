package org.o365audit.config;

import java.util.List;

/** The five content types of the Management Activity API. */
public final class ContentType {
    public static final List<String> ALL = List.of(
            "Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General", "DLP.All");

    private ContentType() {
    }

    public static String requireKnown(String contentType) {
        for (String ct : ALL) {
            if (ct.equalsIgnoreCase(contentType)) {
                return ct;
            }
        }
        throw new IllegalArgumentException("unknown content type '" + contentType + "' (expected one of " + ALL + ")");
    }
}
