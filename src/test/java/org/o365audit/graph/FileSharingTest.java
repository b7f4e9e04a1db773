package org.o365audit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileSharingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantPeople CONTOSO = new TenantPeople(Set.of("contoso.com"), Set.of("guest@partner.org"));
    private static final String OWNER = "{\"id\":\"o\",\"roles\":[\"owner\"],\"grantedToV2\":{\"user\":{\"email\":\"adele@contoso.com\"}}}";
    private static final String SITE_OWNERS = "{\"id\":\"s\",\"roles\":[\"owner\"],\"grantedToV2\":{\"siteGroup\":"
            + "{\"displayName\":\"Finance Owners\"}},\"inheritedFrom\":{\"id\":\"root\"}}";

    private static FileSharing of(String... permissions) throws Exception {
        JsonNode array = JSON.readTree("[" + String.join(",", permissions) + "]");
        return FileSharing.of(array, CONTOSO);
    }

    @Test
    void ownersAloneArePrivate() throws Exception {
        FileSharing s = of(OWNER, SITE_OWNERS);
        assertThat(s.level()).isEqualTo(SharingLevel.PRIVATE);
        assertThat(s.text()).isEmpty();
    }

    @Test
    void anAnonymousLinkIsPublicWhateverElse() throws Exception {
        FileSharing s = of(OWNER, "{\"id\":\"l\",\"roles\":[\"read\"],\"link\":{\"scope\":\"anonymous\",\"type\":\"view\"}}",
                "{\"id\":\"g\",\"roles\":[\"read\"],\"grantedToV2\":{\"user\":{\"email\":\"pat@fabrikam.com\"}}}");
        assertThat(s.level()).isEqualTo(SharingLevel.PUBLIC);
        assertThat(s.text()).isEqualTo("anonymous view link; guest pat@fabrikam.com (read)");
        assertThat(s.permissionIds()).isEqualTo("l g");
    }

    @Test
    void aGrantOutsideTheDomainsToAKnownGuestOrWithExtIsExternal() throws Exception {
        assertThat(of(OWNER, "{\"id\":\"g\",\"roles\":[\"write\"],\"grantedToV2\":{\"user\":{\"email\":\"pat@fabrikam.com\"}}}")
                .level()).isEqualTo(SharingLevel.EXTERNAL);
        assertThat(of("{\"id\":\"g\",\"roles\":[\"read\"],\"grantedToV2\":{\"user\":{\"email\":\"guest@partner.org\"}}}")
                .level()).isEqualTo(SharingLevel.EXTERNAL);
        assertThat(of("{\"id\":\"g\",\"roles\":[\"read\"],\"grantedToV2\":{\"siteUser\":{\"loginName\":"
                + "\"i:0#.f|membership|pat_fabrikam.com#ext#@contoso.com\"}}}").level()).isEqualTo(SharingLevel.EXTERNAL);
        assertThat(of("{\"id\":\"i\",\"roles\":[\"read\"],\"invitation\":{\"email\":\"pat@fabrikam.com\"}}").level())
                .isEqualTo(SharingLevel.EXTERNAL);
    }

    @Test
    void membersAndOrganizationLinksAreInternal() throws Exception {
        FileSharing s = of(OWNER, "{\"id\":\"m\",\"roles\":[\"write\"],\"grantedToV2\":{\"user\":{\"email\":\"Matt@Contoso.com\"}}}",
                "{\"id\":\"l\",\"roles\":[\"read\"],\"link\":{\"scope\":\"organization\",\"type\":\"view\"}}");
        assertThat(s.level()).isEqualTo(SharingLevel.INTERNAL);
        assertThat(s.text()).isEqualTo("member Matt@Contoso.com (write); organization view link");
    }

    @Test
    void aSpecificPeopleLinkIsInternalOnlyWhenEveryRecipientIsAKnownMember() throws Exception {
        String members = "{\"id\":\"l\",\"roles\":[\"read\"],\"link\":{\"scope\":\"users\",\"type\":\"view\"},"
                + "\"grantedToIdentitiesV2\":[{\"user\":{\"email\":\"matt@contoso.com\"}}]}";
        String unknown = "{\"id\":\"l\",\"roles\":[\"read\"],\"link\":{\"scope\":\"users\",\"type\":\"edit\"}}";
        String guest = "{\"id\":\"l\",\"roles\":[\"read\"],\"link\":{\"scope\":\"users\",\"type\":\"view\"},"
                + "\"grantedToIdentitiesV2\":[{\"user\":{\"email\":\"matt@contoso.com\"}},{\"user\":{\"email\":\"x@y.net\"}}]}";
        assertThat(of(members).level()).isEqualTo(SharingLevel.INTERNAL);
        assertThat(of(unknown).level()).isEqualTo(SharingLevel.EXTERNAL);
        assertThat(of(guest).level()).isEqualTo(SharingLevel.EXTERNAL);
    }

    @Test
    void withoutADirectoryTheOwnersAndTheSharePointHostsDomainsAreTheTenants() {
        TenantPeople none = new TenantPeople(Set.of(), Set.of())
                .withFile("adele@contoso.com", "https://contoso-my.sharepoint.com/personal/adele_contoso_com/Documents/a.docx");
        assertThat(none.external("matt@contoso.onmicrosoft.com")).isFalse();
        assertThat(none.external("matt@contoso.com")).isFalse();
        assertThat(none.external("pat@fabrikam.com")).isTrue();
    }

    @Test
    void onlyWideningToExternalOrPublicAndLeavingPublicAreReported() {
        assertThat(FileSharingChange.operation(null, SharingLevel.PUBLIC)).isEqualTo(FileSharingChange.PUBLIC);
        assertThat(FileSharingChange.operation(null, SharingLevel.EXTERNAL)).isEqualTo(FileSharingChange.EXTERNAL);
        assertThat(FileSharingChange.operation(null, SharingLevel.INTERNAL)).isNull();
        assertThat(FileSharingChange.operation(SharingLevel.INTERNAL, SharingLevel.EXTERNAL)).isEqualTo(FileSharingChange.EXTERNAL);
        assertThat(FileSharingChange.operation(SharingLevel.EXTERNAL, SharingLevel.PUBLIC)).isEqualTo(FileSharingChange.PUBLIC);
        assertThat(FileSharingChange.operation(SharingLevel.PUBLIC, SharingLevel.EXTERNAL)).isEqualTo(FileSharingChange.LINK_REMOVED);
        assertThat(FileSharingChange.operation(SharingLevel.PUBLIC, SharingLevel.PRIVATE)).isEqualTo(FileSharingChange.LINK_REMOVED);
        assertThat(FileSharingChange.operation(SharingLevel.EXTERNAL, SharingLevel.INTERNAL)).isNull();
        assertThat(FileSharingChange.operation(SharingLevel.EXTERNAL, SharingLevel.EXTERNAL)).isNull();
    }

    @Test
    void aRecordWithoutAFileUrlOrNotAFileIsUnusable() throws Exception {
        assertThat(FileActivity.unusable(JSON.readTree("{\"ItemType\":\"File\"}"))).isEqualTo("no ObjectId");
        assertThat(FileActivity.unusable(JSON.readTree("{\"ObjectId\":\"not a url ::\"}"))).isNotNull();
        assertThat(FileActivity.unusable(JSON.readTree("{\"ObjectId\":\"https://contoso.sharepoint.com/sites/F\","
                + "\"ItemType\":\"Folder\"}"))).contains("Folder");
        assertThat(FileActivity.unusable(JSON.readTree("{\"ObjectId\":\"https://contoso.sharepoint.com/sites/F/Shared "
                + "Documents/a b.docx\",\"ItemType\":\"File\"}"))).isNull();
    }

    @Test
    void aRenameIsLookedUpAtItsDestination() throws Exception {
        FileActivity a = FileActivity.of(JSON.readTree("{\"Id\":\"r\",\"Operation\":\"FileRenamed\",\"ObjectId\":"
                + "\"https://contoso.sharepoint.com/sites/F/Shared Documents/old.docx\",\"SiteUrl\":\"https://contoso.sharepoint.com/sites/F/\","
                + "\"DestinationRelativeUrl\":\"Shared Documents\",\"DestinationFileName\":\"new.docx\"}"), null);
        assertThat(a.fileUrl()).isEqualTo("https://contoso.sharepoint.com/sites/F/Shared Documents/new.docx");
    }
}
