package org.o365audit.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Where the route files come from: the folder o365.routes.dir (default routes/ of the working directory) when it
 * holds *.camel.yaml files, else the copy bundled in the jar, so that the jar runs from any folder. The folder
 * replaces the bundled routes as a whole (what is in it is what runs). A folder named explicitly that is missing
 * or holds no route file stops the start. An explicit camel.main.routes-include-pattern is left as it is.
 */
public class RoutesFolder implements EnvironmentPostProcessor {
    public static final String DIR = "o365.routes.dir";
    public static final String PATTERN = "camel.main.routes-include-pattern";
    public static final String BUNDLED = "classpath:o365/routes/*.camel.yaml";
    static final String ROUTE_FILES = "*.camel.yaml";

    private final Log log;

    public RoutesFolder(DeferredLogFactory logs) {
        this.log = logs.getLog(RoutesFolder.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.containsProperty(PATTERN)) {
            log.info("routes: " + env.getProperty(PATTERN) + " (" + PATTERN + ")");
            return;
        }
        String named = env.getProperty(DIR);
        Path dir = Path.of(named == null || named.isBlank() ? "routes" : named);
        String pattern;
        if (hasRouteFiles(dir)) {
            pattern = "file:" + dir + "/" + ROUTE_FILES;
            log.info("routes: " + ROUTE_FILES + " from the folder " + dir.toAbsolutePath().normalize());
        } else if (named != null) {
            throw new IllegalStateException(DIR + ": the folder " + dir.toAbsolutePath().normalize()
                    + (Files.isDirectory(dir) ? " holds no route file (" + ROUTE_FILES + ")" : " does not exist"));
        } else {
            pattern = BUNDLED;
            log.info("routes: the ones bundled in the jar (no folder " + dir.toAbsolutePath().normalize() + " with "
                    + ROUTE_FILES + "; " + DIR + " names another)");
        }
        env.getPropertySources().addLast(new MapPropertySource("o365RoutesFolder", Map.of(PATTERN, pattern)));
    }

    static boolean hasRouteFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ROUTE_FILES)) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(DIR + ": cannot read the folder " + dir.toAbsolutePath().normalize(), e);
        }
    }
}
