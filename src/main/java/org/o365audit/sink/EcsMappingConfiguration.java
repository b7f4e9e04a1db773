package org.o365audit.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.o365audit.sink.format.ecs.EcsMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ECS mapping table the elasticsearch sink writes with: {@code o365.ecs-mapping} when set (it must exist),
 * else config/ecs-mapping.yaml in the working directory, else the copy in the jar. Read and checked at start, so a
 * mistake in it stops the collector with the rule and key at fault.
 */
@Configuration
public class EcsMappingConfiguration {
    public static final String PROPERTY = "o365.ecs-mapping";
    static final Path DEFAULT_FILE = Path.of("config", "ecs-mapping.yaml");
    private static final Logger LOG = LoggerFactory.getLogger(EcsMappingConfiguration.class);

    @Bean
    public EcsMapping ecsMapping(@Value("${" + PROPERTY + ":}") String location) {
        Path file = location == null || location.isBlank() ? DEFAULT_FILE : Path.of(location);
        if (!Files.isRegularFile(file)) {
            if (location != null && !location.isBlank()) {
                throw new IllegalStateException(PROPERTY + ": no file " + file.toAbsolutePath().normalize());
            }
            EcsMapping bundled = EcsMapping.defaults();
            LOG.info("ECS mapping: the table bundled in the jar ({} field rules, {} event rules; no {})",
                    bundled.fieldRules(), bundled.eventRules(), file.toAbsolutePath().normalize());
            return bundled;
        }
        try (InputStream in = Files.newInputStream(file)) {
            EcsMapping mapping = EcsMapping.load(in, file.toString());
            LOG.info("ECS mapping: {} ({} field rules, {} event rules)", file.toAbsolutePath().normalize(),
                    mapping.fieldRules(), mapping.eventRules());
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException(PROPERTY + ": cannot read " + file.toAbsolutePath().normalize(), e);
        }
    }
}
