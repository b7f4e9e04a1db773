package org.o365audit.store;

/**
 * A user as the audit records' actor columns show it: display name, department, the display names of the
 * Microsoft 365 groups the user is a direct member of (sorted, "; " between them) and whether the account is synced
 * from an on-premises directory. Texts are already cleaned and cut to their columns.
 */
public record DirectoryUser(String displayName, String department, String groups, Boolean onPremisesSync) {
}
