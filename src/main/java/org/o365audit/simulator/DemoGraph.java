package org.o365audit.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The demo tenant's Microsoft Graph side, so that a newcomer sees the accounts, apps and sign-ins components work
 * without an Azure account: the users the demo's audit records name (their UserIds come from the corpus), with
 * departments, Microsoft 365, security and distribution groups, one account synced from on-premises; third-party
 * apps with delegated and application permissions, one of them the app behind some of the corpus's activities; and
 * a sign-in log of the last two days with interactive, non-interactive and legacy-protocol sign-ins.
 */
public final class DemoGraph {
    /** An application id that the corpus's Azure AD records carry as ApplicationId: its activities link to the app. */
    static final String LINKED_APP_ID = "eb539595-3fe1-474e-9c1d-feb3625d1be5";
    private static final String PARTNER_TENANT = "3f2a9c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

    private record Person(String upn, String name, String department, boolean synced) {
    }

    private static final List<Person> PEOPLE = List.of(
            new Person("admin@contoso.onmicrosoft.com", "Contoso Admin", "IT", false),
            new Person("stinger@contoso.onmicrosoft.com", "Stinger Ray", "Security", false),
            new Person("Henrietta@contoso.onmicrosoft.com", "Henrietta Mueller", "Engineering", true),
            new Person("Matt@contoso.onmicrosoft.com", "Matt Hayes", "Finance", false),
            new Person("Alex@contoso.onmicrosoft.com", "Alex Wilber", "Marketing", false),
            new Person("Adele@contoso.onmicrosoft.com", "Adele Vance", "Retail", false),
            new Person("Miriam@contoso.onmicrosoft.com", "Miriam Graham", "Sales", false),
            new Person("Megan@contoso.onmicrosoft.com", "Megan Bowen", "Marketing", false),
            new Person("Lynne@contoso.onmicrosoft.com", "Lynne Robbins", "Retail", false),
            new Person("Lidia@contoso.onmicrosoft.com", "Lidia Holloway", "Engineering", false),
            new Person("Johanna@contoso.onmicrosoft.com", "Johanna Lorenz", "Engineering", false),
            new Person("megan.bowen@contoso.onmicrosoft.com", "Megan Bowen (Power BI)", "Marketing", false),
            new Person("alex.wilber@contoso.onmicrosoft.com", "Alex Wilber (Power BI)", "Marketing", false),
            new Person("nestor.wilke@contoso.onmicrosoft.com", "Nestor Wilke", "Operations", false),
            new Person("lynne.robbins@contoso.onmicrosoft.com", "Lynne Robbins (Power BI)", "Retail", false));

    private DemoGraph() {
    }

    public static void populate(SimulatedTenant t, Clock clock) {
        directory(t.graph().directory());
        apps(t.graph().apps());
        signIns(t.graph().signIns(), clock.instant());
    }

    private static void directory(SimulatedDirectory d) {
        String all = id("group:all");
        String marketing = id("group:marketing");
        String engineering = id("group:engineering");
        String admins = id("group:admins");
        String news = id("group:news");
        d.addGroup(all, "All Company", SimulatedDirectory.GroupKind.MICROSOFT365);
        d.addGroup(marketing, "Marketing", SimulatedDirectory.GroupKind.MICROSOFT365);
        d.addGroup(engineering, "Engineering", SimulatedDirectory.GroupKind.MICROSOFT365);
        d.addGroup(admins, "Tenant Admins", SimulatedDirectory.GroupKind.SECURITY);
        d.addGroup(news, "Contoso News", SimulatedDirectory.GroupKind.DISTRIBUTION);
        for (Person p : PEOPLE) {
            String user = id(p.upn().toLowerCase());
            d.addUser(user, p.upn(), p.name(), p.department(), p.synced());
            d.addMember(all, user);
            d.addMember(news, user);
            if (p.department().equals("Marketing")) {
                d.addMember(marketing, user);
            }
            if (p.department().equals("Engineering")) {
                d.addMember(engineering, user);
            }
            if (p.department().equals("IT") || p.department().equals("Security")) {
                d.addMember(admins, user);
            }
        }
    }

    private static void apps(SimulatedApps a) {
        String crm = a.addApp(LINKED_APP_ID, "Fabrikam CRM Sync", PARTNER_TENANT, "Fabrikam, Inc.", "Fabrikam, Inc.");
        a.grantApplication(crm, a.graphId(), a.graphRole("User.Read.All"));
        a.grantDelegated(crm, a.graphId(), "User.Read Mail.Read", SimulatedApps.Consent.AllPrincipals);
        String notes = a.addApp("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "QuickNotes for Outlook",
                "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a", "QuickNotes Ltd", null);
        a.grantDelegated(notes, a.graphId(), "Mail.Read offline_access", SimulatedApps.Consent.Principal);
        String backup = a.addApp("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "Contoso Backup Cloud",
                "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "Backup Cloud Corp",
                "Backup Cloud Corp");
        a.grantApplication(backup, a.graphId(), a.graphRole("Files.Read.All"));
    }

    private static void signIns(SimulatedSignIns log, Instant now) {
        int i = 0;
        for (Person p : PEOPLE.subList(0, 11)) {
            Instant at = now.minus(Duration.ofHours(2 + 4L * i));
            log.add(SimSignIn.browser(id("signin:browser:" + p.upn()), at, p.upn()));
            log.add(new SimSignIn(id("signin:refresh:" + p.upn()), at.plus(Duration.ofMinutes(50)), p.upn(),
                    "Microsoft Teams", "Mobile Apps and Desktop clients", false, "203.0.113.8", 0, UUID.randomUUID().toString()));
            i++;
        }
        // a password spray over IMAP: legacy protocol, failed
        log.add(new SimSignIn(id("signin:imap:1"), now.minus(Duration.ofHours(5)), "Matt@contoso.onmicrosoft.com",
                "Office 365 Exchange Online", "IMAP4", false, "198.51.100.23", 50126, UUID.randomUUID().toString()));
        log.add(new SimSignIn(id("signin:eas:1"), now.minus(Duration.ofHours(9)), "Adele@contoso.onmicrosoft.com",
                "Office 365 Exchange Online", "Exchange ActiveSync", false, "198.51.100.40", 0, UUID.randomUUID().toString()));
    }

    /** Stable ids, so a restarted demo shows the same directory. */
    private static String id(String name) {
        return UUID.nameUUIDFromBytes(("demo-graph:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
