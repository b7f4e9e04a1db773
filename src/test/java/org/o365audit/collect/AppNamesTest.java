package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppNamesTest {

    @Test
    void nothingKnownIsUnknown() {
        assertThat(AppNames.of(null, null)).isEqualTo("Unknown");
        assertThat(AppNames.of("", null)).isEqualTo("Unknown");
        assertThat(AppNames.of("   ", 999)).isEqualTo("Unknown");
    }

    @Test
    void blankWorkloadFallsBackToRecordType() {
        assertThat(AppNames.of("", 25)).isEqualTo("Teams");
        assertThat(AppNames.of(" ", 20)).isEqualTo("Power BI");
    }

    @ParameterizedTest(name = "RecordType {0} -> {1}")
    @CsvSource({
            "1, Exchange", "50, Exchange", "154, Exchange",
            "4, SharePoint", "6, SharePoint", "7, OneDrive",
            "8, Azure AD", "9, Azure AD", "15, Azure AD",
            "20, Power BI", "21, Dynamics 365", "22, Yammer", "25, Teams", "30, Power Automate",
            "32, Stream", "12, Sway", "16, Skype", "66, Forms", "45, PowerApps", "261, Copilot", "93, Information Protection"})
    void recordTypeAloneGivesTheApp(int recordType, String app) {
        assertThat(AppNames.of(null, recordType)).isEqualTo(app);
    }

    @Test
    void workloadMatchIgnoresCaseAndSpaces() {
        assertThat(AppNames.of("EXCHANGE", null)).isEqualTo("Exchange");
        assertThat(AppNames.of("microsoftteams", null)).isEqualTo("Teams");
        assertThat(AppNames.of("Microsoft Teams", null)).isEqualTo("Teams");
        assertThat(AppNames.of("Viva Engage", null)).isEqualTo("Yammer");
        assertThat(AppNames.of("Dynamics 365", null)).isEqualTo("Dynamics 365");
    }

    @Test
    void workloadWinsOverRecordType() {
        assertThat(AppNames.of("Exchange", 20)).isEqualTo("Exchange");
        assertThat(AppNames.of("Aip", 8)).isEqualTo("Information Protection");
    }

    @Test
    void unknownWorkloadWithKnownRecordTypeTakesTheRecordTypesApp() {
        assertThat(AppNames.of("PublicEndpoint", 15)).isEqualTo("Azure AD");
    }

    @Test
    void unknownWorkloadAndRecordTypeKeepTheWorkloadVerbatim() {
        assertThat(AppNames.of("MicrosoftLoop", 999)).isEqualTo("MicrosoftLoop");
        assertThat(AppNames.of("MicrosoftLoop", null)).isEqualTo("MicrosoftLoop");
    }

    @Test
    void sharePointWorkloadIsOneDriveOnlyForRecordTypeSeven() {
        assertThat(AppNames.of("SharePoint", 7)).isEqualTo("OneDrive");
        assertThat(AppNames.of("SharePoint", 6)).isEqualTo("SharePoint");
        assertThat(AppNames.of("SharePoint", null)).isEqualTo("SharePoint");
        assertThat(AppNames.of("OneDrive", 6)).isEqualTo("OneDrive");
    }

    @Test
    void workloadLookupDoesNotDependOnTheDefaultLocale() {
        // in a Turkish locale "I".toLowerCase() is a dotless ı, so "PowerBI" would become "powerbı"
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertThat(AppNames.of("PowerBI", null)).isEqualTo("Power BI");
            assertThat(AppNames.of("AIP", null)).isEqualTo("Information Protection");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
