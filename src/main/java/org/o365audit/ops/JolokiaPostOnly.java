package org.o365audit.ops;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Jolokia commands that change something (exec, write, and any other but read, list, search and version) are
 * accepted only as POST, so that a link or an image in a page cannot make a logged-in browser run one. The
 * decision is taken on the request as Jolokia will read it, not on the URL as typed: the servlet the container
 * maps the request to (so %6Aolokia, doubled slashes, ;params and Hawtio's forward from /actuator/hawtio/jolokia
 * all count), the path info as the container decoded it, or the p parameter when that is empty, and the first
 * path element after Jolokia's ! unescaping, in any case. Spring Security refuses these requests with 403
 * (SecurityConfiguration); this filter, on every dispatch to the Jolokia servlet, refuses them again should a
 * later change of the security rules let one through.
 */
public final class JolokiaPostOnly implements Filter {
    private static final Set<String> READ_ONLY = Set.of("read", "list", "search", "version");

    /** A request the Jolokia servlet would serve, sent without POST, whose command is not read-only. */
    public static boolean refused(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) && servedByJolokia(request) && !READ_ONLY.contains(command(request));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && refused(http)) {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean servedByJolokia(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping == null || mapping.getServletName() == null) {
            return false;
        }
        ServletRegistration servlet = request.getServletContext().getServletRegistration(mapping.getServletName());
        return servlet != null && servlet.getClassName() != null && servlet.getClassName().startsWith("org.jolokia.");
    }

    /** The command as Jolokia takes it from a GET: lower case; "version" when the path names none. */
    static String command(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.chars().allMatch(c -> c == '/')) {
            path = request.getParameter("p");
        }
        if (path != null && path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "version";
        }
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < path.length() && path.charAt(i) != '/'; i++) {
            // ! escapes the next character, a slash included
            first.append(path.charAt(i) == '!' && i + 1 < path.length() ? path.charAt(++i) : path.charAt(i));
        }
        return first.toString().toLowerCase(Locale.ROOT);
    }
}
