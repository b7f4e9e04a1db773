package org.o365audit.simulator;

import java.util.List;

/** The five content types the Management Activity API knows. */
final class ContentTypes {

    static final String AZURE_ACTIVE_DIRECTORY = "Audit.AzureActiveDirectory";
    static final String EXCHANGE = "Audit.Exchange";
    static final String SHAREPOINT = "Audit.SharePoint";
    static final String GENERAL = "Audit.General";
    static final String DLP_ALL = "DLP.All";

    static final List<String> ALL = List.of(AZURE_ACTIVE_DIRECTORY, EXCHANGE, SHAREPOINT, GENERAL, DLP_ALL);

    private ContentTypes() {
    }

    static boolean isKnown(String contentType) {
        return contentType != null && ALL.contains(contentType);
    }
}
