package org.o365audit.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.o365audit.config.O365Properties;
import org.o365audit.config.TenantProperties;
import org.o365audit.sink.SinkRoutes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.stereotype.Component;

/**
 * Checks, without touching what runs, that the route files and config/application.yaml as they are on disk
 * now would start: every route file parses as Camel YAML DSL, every tenant resolves, every sink names a
 * known type and known settings. The JMX operation revalidateConfiguration runs it, so an engineer can check
 * an edited file before restarting (see README: applying edited routes).
 */
@Component
public class ConfigValidation {
    private final CamelContext camel;
    private final String routesPattern;
    private final Path configFile;

    public ConfigValidation(CamelContext camel,
                            @Value("${camel.main.routes-include-pattern:file:routes/*.camel.yaml}") String routesPattern,
                            @Value("${o365.config-file:config/application.yaml}") String configFile) {
        this.camel = camel;
        this.routesPattern = routesPattern;
        this.configFile = Path.of(configFile);
    }

    /** The problems found, each naming its file and key or route; empty when all is well. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        for (Path f : routeFiles()) {
            String p = routeFileProblem(f);
            if (p != null) {
                problems.add(p);
            }
        }
        problems.addAll(configProblems());
        return problems;
    }

    /** Parses one route file into a throw-away Camel context; null when it loads. */
    static String routeFileProblem(Path f) {
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(scratch).loadRoutes(ResourceHelper.fromString("file:" + f, Files.readString(f)));
            return null;
        } catch (Exception e) {
            return f + ": " + StartupFailureAnalyzer.rootMessage(e);
        }
    }

    private List<String> configProblems() {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(configFile)) {
            return problems;
        }
        O365Properties props;
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(configFile.toString(),
                    new FileSystemResource(configFile));
            List<org.springframework.boot.context.properties.source.ConfigurationPropertySource> cps = new ArrayList<>();
            sources.forEach(s -> cps.add(org.springframework.boot.context.properties.source.ConfigurationPropertySource.from(s)));
            Binder binder = new Binder(cps);
            props = binder.bind("o365", O365Properties.class).orElseGet(O365Properties::new);
            TenantProperties.bindStrictly(binder);
        } catch (IllegalArgumentException e) {
            problems.add(configFile + ": " + e.getMessage());
            return problems;
        } catch (IOException | RuntimeException e) {
            problems.add(configFile + ": " + StartupFailureAnalyzer.rootMessage(e));
            return problems;
        }
        List<TenantProperties> tenants = props.getTenants();
        for (int i = 0; i < tenants.size(); i++) {
            try {
                tenants.get(i).resolve(i);
            } catch (RuntimeException e) {
                problems.add(configFile + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, Map<String, String>> s : props.getSinks().entrySet()) {
            String type = s.getValue().get("type");
            if (type == null) {
                continue;
            }
            try {
                SinkRoutes.template(camel, s.getKey(), type);
                SinkRoutes.parameters(camel, s.getKey(), type, s.getValue());
            } catch (RuntimeException e) {
                problems.add(configFile + ": " + e.getMessage());
            }
        }
        return problems;
    }

    private List<Path> routeFiles() {
        List<Path> files = new ArrayList<>();
        for (String part : routesPattern.split(",")) {
            String p = part.trim();
            if (!p.startsWith("file:")) {
                continue;
            }
            Path glob = Path.of(p.substring("file:".length()));
            Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob.getFileName().toString())) {
                ds.forEach(files::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        files.sort(null);
        return files;
    }
}
