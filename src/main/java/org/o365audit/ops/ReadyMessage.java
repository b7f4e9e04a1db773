package org.o365audit.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.o365audit.config.O365Properties;
import org.o365audit.config.RoutesFolder;
import org.o365audit.sink.SinkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the application is up, one short block says where things are: the connected-tenants page, Hawtio, the
 * database (its URL without credentials, or the H2 file), the files sinks' folders, the routes, and how to log in
 * (the user name and where the password comes from; never the password).
 */
@Component
public class ReadyMessage {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.ready");

    private final Environment env;
    private final O365Properties props;
    private final ObjectProvider<PathMappedEndpoints> endpoints;

    public ReadyMessage(Environment env, O365Properties props, ObjectProvider<PathMappedEndpoints> endpoints) {
        this.env = env;
        this.props = props;
        this.endpoints = endpoints;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        LOG.info(String.join(System.lineSeparator(), lines()));
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(env.getProperty("spring.application.name", "o365-audit-connector") + " is ready:");
        String port = env.getProperty("local.server.port");
        if (port != null) {
            String context = env.getProperty("server.servlet.context-path", "");
            String scheme = env.getProperty("server.ssl.enabled", Boolean.class, false) ? "https" : "http";
            String host = env.getProperty("server.address", "localhost");
            String base = scheme + "://" + host + ":" + port + context;
            lines.add(line("connected tenants", base + "/tenants.html"));
            PathMappedEndpoints paths = endpoints.getIfAvailable();
            String hawtio = paths == null ? null : paths.getPath(EndpointId.of("hawtio"));
            if (hawtio != null) {
                String managementPort = env.getProperty("local.management.port", port);
                lines.add(line("Hawtio", scheme + "://" + host + ":" + managementPort
                        + (managementPort.equals(port) ? context : "") + hawtio + "/"));
            }
        }
        lines.add(line("database", database(env.getProperty("spring.datasource.url"))));
        props.getSinks().forEach((name, cfg) -> {
            if (SinkSettings.runs(cfg) && "files".equals(cfg.get("type")) && cfg.get("directory") != null) {
                lines.add(line("files sink " + name, Path.of(cfg.get("directory")).toAbsolutePath().normalize().toString()));
            }
        });
        String routes = env.getProperty(RoutesFolder.PATTERN, "");
        lines.add(line("routes", routes.equals(RoutesFolder.BUNDLED) ? "bundled in the jar"
                : routes.startsWith("file:") && !routes.contains(",")
                        ? Path.of(routes.substring("file:".length())).toAbsolutePath().normalize().toString() : routes));
        lines.add(line("log in", "user " + env.getProperty("spring.security.user.name", "user") + ", password "
                + (env.getProperty("spring.security.user.password", "").isEmpty()
                        ? "generated at this start and printed above ('Using generated security password'); "
                                + "set SPRING_SECURITY_USER_PASSWORD to choose one"
                        : "from spring.security.user.password (SPRING_SECURITY_USER_PASSWORD)")));
        return lines;
    }

    private static String line(String what, String where) {
        return String.format("  %-19s %s", what + ":", where);
    }

    /** The database's JDBC URL without credentials; for an H2 file database, the file. */
    static String database(String url) {
        if (url == null || url.isBlank()) {
            return "an in-memory database (spring.datasource.url is not set): nothing is kept across restarts";
        }
        String safe = url.replaceAll("//[^/@]*@", "//")
                .replaceAll("(?i)((?:password|pwd|passwd|secret|token|key)[^=;&?/]*=)[^;&]*", "$1***");
        if (safe.startsWith("jdbc:h2:")) {
            String path = safe.substring("jdbc:h2:".length());
            path = path.startsWith("file:") ? path.substring("file:".length()) : path;
            path = path.contains(";") ? path.substring(0, path.indexOf(';')) : path;
            if (!path.matches("(?i)(mem|tcp|ssl|zip):.*")) {
                if (path.startsWith("~")) {
                    path = System.getProperty("user.home") + path.substring(1);
                }
                return "H2 file " + Path.of(path + ".mv.db").toAbsolutePath().normalize() + " (" + safe + ")";
            }
        }
        return safe;
    }
}
