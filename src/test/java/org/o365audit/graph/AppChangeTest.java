package org.o365audit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The permission-set diff that decides which apps' changes are reported, and the Ids that make them once-only. */
class AppChangeTest {
    static final String TENANT = "a7f1c0de-0000-4000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String READ = PermissionSet.delegated("Microsoft Graph", "User.Read", "AllPrincipals");
    static final String MAIL = PermissionSet.application("Microsoft Graph", "Mail.Read");
    static final String FILES = PermissionSet.delegated("Microsoft Graph", "Files.Read", "Principal");

    static ThirdPartyApp app(String... lines) {
        return new ThirdPartyApp("sp-1", "app-1", "Contoso CRM", "owner-1", "Contoso", null, PermissionSet.of(List.of(lines)));
    }

    static AppPrincipals.Stored stored(Instant removedAt, String... lines) {
        return new AppPrincipals.Stored("sp-1", PermissionSet.of(List.of(lines)), T0, T0, removedAt);
    }

    @Test
    void addedSinceListsOnlyTheNewLinesSorted() {
        PermissionSet before = PermissionSet.of(List.of(READ));
        PermissionSet after = PermissionSet.of(List.of(MAIL, READ, FILES));
        assertThat(after.addedSince(before)).containsExactly(MAIL, FILES);
        assertThat(before.addedSince(after)).isEmpty();
    }

    @Test
    void aHostileScopeIsStoredCleanAndReadsBackAsTheSameSet() {
        // U+0000 (PostgreSQL refuses it), a line break (the stored text is one line per permission), 5,000 characters
        String hostile = PermissionSet.delegated("Microsoft Graph", "Mail.Read\u0000\nFiles" + "x".repeat(5000), "AllPrincipals");
        PermissionSet set = PermissionSet.of(List.of(hostile, READ));
        assertThat(hostile).doesNotContain("\u0000").doesNotContain("\n").hasSizeLessThanOrEqualTo(1000);
        assertThat(PermissionSet.parse(set.text())).isEqualTo(set);
        assertThat(PermissionSet.parse(set.text()).addedSince(set)).isEmpty();
    }

    @Test
    void onlyIdsAsGraphGivesThemGoIntoATableOrAUrl() {
        assertThat(AppCatalogue.usableId("5b7c1c9e-3a1d-4c55-9f0e-0d6f4f3b2a10")).isTrue();
        assertThat(AppCatalogue.usableId("../users?$x")).isFalse();
        assertThat(AppCatalogue.usableId("a".repeat(65))).isFalse();
        assertThat(AppCatalogue.usableId("")).isFalse();
    }

    @Test
    void textRoundTripsSortedAndIgnoresBlankLines() {
        PermissionSet set = PermissionSet.of(List.of(READ, MAIL));
        assertThat(set.text()).isEqualTo(MAIL + "\n" + READ);
        assertThat(PermissionSet.parse(set.text() + "\n\n")).isEqualTo(set);
        assertThat(PermissionSet.parse(null)).isEqualTo(PermissionSet.NONE);
    }

    @Test
    void aNewAppWithGrantsIsAccessGranted() {
        AppChange c = AppChange.of(app(READ), null);
        assertThat(c.operation()).isEqualTo(AppChange.GRANTED);
        assertThat(c.added()).containsExactly(READ);
    }

    @Test
    void aNewAppWithoutGrantsIsNoEvent() {
        assertThat(AppChange.of(app(), null)).isNull();
    }

    @Test
    void anAppThatHadNoGrantsAndNowHasSomeIsAccessGranted() {
        assertThat(AppChange.of(app(READ), stored(null)).operation()).isEqualTo(AppChange.GRANTED);
    }

    @Test
    void aGrownSetIsPermissionsGrewWithTheAddedLines() {
        AppChange c = AppChange.of(app(READ, MAIL), stored(null, READ));
        assertThat(c.operation()).isEqualTo(AppChange.GREW);
        assertThat(c.added()).containsExactly(MAIL);
    }

    @Test
    void anUnchangedOrShrunkSetIsNoEvent() {
        assertThat(AppChange.of(app(READ, MAIL), stored(null, MAIL, READ))).isNull();
        assertThat(AppChange.of(app(READ), stored(null, MAIL, READ))).isNull();
    }

    @Test
    void aSetThatSwappedAPermissionGrew() {
        AppChange c = AppChange.of(app(MAIL), stored(null, READ));
        assertThat(c.operation()).isEqualTo(AppChange.GREW);
        assertThat(c.added()).containsExactly(MAIL);
    }

    @Test
    void anAppBackAfterRemovalIsAccessGrantedAgainWithANewId() {
        AppChange first = AppChange.of(app(READ), null);
        AppChange back = AppChange.of(app(READ), stored(T0.plusSeconds(60), READ));
        assertThat(back.operation()).isEqualTo(AppChange.GRANTED);
        assertThat(back.id(TENANT)).isNotEqualTo(first.id(TENANT));
    }

    @Test
    void theSameChangeFoundTwiceHasTheSameId() {
        assertThat(AppChange.of(app(READ, MAIL), stored(null, READ)).id(TENANT))
                .isEqualTo(AppChange.of(app(READ, MAIL), stored(null, READ)).id(TENANT));
    }

    @Test
    void aPermissionGrantedAgainAfterItsRemovalIsANewId() {
        AppChange first = AppChange.of(app(READ, MAIL), stored(null, READ));
        AppPrincipals.Stored shrunkLater = new AppPrincipals.Stored("sp-1", PermissionSet.of(List.of(READ)), T0.plusSeconds(3600),
                T0, null);
        assertThat(AppChange.of(app(READ, MAIL), shrunkLater).id(TENANT)).isNotEqualTo(first.id(TENANT));
    }

    @Test
    void theRecordCarriesTheAppThePublisherAndTheAddedPermissions() {
        ThirdPartyApp app = new ThirdPartyApp("sp-1", "app-1", "Contoso CRM", "owner-1", "Contoso", "Contoso Ltd",
                PermissionSet.of(List.of(READ, MAIL)));
        var r = AppChange.of(app, stored(null, READ)).record(TENANT, T0, T0.minusSeconds(86400));
        assertThat(r.path("Operation").asText()).isEqualTo("AppPermissionsGrew");
        assertThat(r.path("AppId").asText()).isEqualTo("app-1");
        assertThat(r.path("AppDisplayName").asText()).isEqualTo("Contoso CRM");
        assertThat(r.path("VerifiedPublisher").asText()).isEqualTo("Contoso Ltd");
        assertThat(r.path("PublisherVerified").asBoolean()).isTrue();
        assertThat(r.path("AddedPermissions").toString()).isEqualTo("[\"" + MAIL + "\"]");
        assertThat(r.path("CreationTime").asText()).isEqualTo("2026-12-01T10:00:00");
        assertThat(r.path("Id").asText()).hasSize(36);
    }
}
