package org.o365audit.graph;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What an app may do in the tenant, one line per permission, sorted: {@code delegated <resource> <scope> <consent>}
 * for a delegated grant (consent AllPrincipals: every user's data; Principal: a user consented for themselves) and
 * {@code application <resource> <permission>} for an application permission. As text, the lines joined by newlines
 * (app_principal.permissions). Lines are compared as a set: who consented and when is not part of it.
 */
public record PermissionSet(SortedSet<String> lines) {
    public static final PermissionSet NONE = new PermissionSet(new TreeSet<>());

    public PermissionSet {
        lines = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(lines));
    }

    public static PermissionSet of(Collection<String> lines) {
        return new PermissionSet(new TreeSet<>(lines));
    }

    /** The set kept as text; null or blank is none. */
    public static PermissionSet parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        return of(Arrays.stream(text.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** A line, cleaned of what the databases refuse, as it is stored and read back (so a set compares alike). */
    public static String delegated(String resource, String scope, String consentType) {
        return line("delegated " + resource + " " + scope + " " + consentType);
    }

    public static String application(String resource, String permission) {
        return line("application " + resource + " " + permission);
    }

    private static String line(String text) {
        return org.o365audit.record.Texts.column(text.replace('\n', ' ').replace('\r', ' '), 1000);
    }

    /** The lines this set has and {@code before} had not, sorted. */
    public List<String> addedSince(PermissionSet before) {
        return lines.stream().filter(l -> !before.lines.contains(l)).toList();
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public int size() {
        return lines.size();
    }

    public String text() {
        return String.join("\n", lines);
    }
}
