package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o365audit.sink.format.ecs.EcsMapping;
import org.o365audit.sink.format.ecs.InvalidEcsMappingException;

class EcsMappingConfigurationTest {
    private final EcsMappingConfiguration configuration = new EcsMappingConfiguration();

    @Test
    void readsConfigEcsMappingFromTheWorkingDirectory() {
        // the tests run in the project folder, which has config/ecs-mapping.yaml
        assertThat(Files.isRegularFile(EcsMappingConfiguration.DEFAULT_FILE)).isTrue();
        assertThat(configuration.ecsMapping("").fieldRules()).isEqualTo(EcsMapping.defaults().fieldRules());
    }

    @Test
    void aNamedFileThatIsMissingStopsTheStart(@TempDir Path dir) {
        assertThatThrownBy(() -> configuration.ecsMapping(dir.resolve("nope.yaml").toString()))
                .hasMessageContaining("o365.ecs-mapping: no file").hasMessageContaining("nope.yaml");
    }

    @Test
    void aMistakeInTheNamedFileStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "fields:\n  - {to: user.id, from: [UserId], as: reversed}\nevents: []\n");

        assertThatThrownBy(() -> configuration.ecsMapping(file.toString()))
                .isInstanceOf(InvalidEcsMappingException.class)
                .hasMessageContaining("mine.yaml: fields[0] (to: user.id): unknown transform 'reversed'");
    }

    @Test
    void aValidNamedFileIsUsed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "fields:\n  - {to: user.id, from: [UserId]}\nevents:\n  - {category: [web], type: [info]}\n");

        EcsMapping mapping = configuration.ecsMapping(file.toString());

        assertThat(mapping.fieldRules()).isEqualTo(1);
        assertThat(mapping.eventRules()).isEqualTo(1);
    }
}
