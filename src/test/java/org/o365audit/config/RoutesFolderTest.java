package org.o365audit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Which route files run: the routes folder when it holds any, the bundled ones otherwise, or what is set explicitly. */
class RoutesFolderTest {
    @TempDir
    Path dir;

    private String pattern(MockEnvironment env) {
        new RoutesFolder(log -> log.get()).postProcessEnvironment(env, null);
        return env.getProperty(RoutesFolder.PATTERN);
    }

    @Test
    void theFolderNamedByTheKeyIsUsedWhenItHoldsRouteFiles() throws Exception {
        Files.writeString(dir.resolve("my.camel.yaml"), "[]");
        assertThat(pattern(new MockEnvironment().withProperty(RoutesFolder.DIR, dir.toString())))
                .isEqualTo("file:" + dir + "/*.camel.yaml");
    }

    @Test
    void theRoutesFolderOfTheWorkingDirectoryIsTheDefault() {
        // the tests run in the project folder, whose routes/ holds the route files
        assertThat(pattern(new MockEnvironment())).isEqualTo("file:routes/*.camel.yaml");
    }

    @Test
    void anExplicitIncludePatternIsLeftAsItIs() {
        assertThat(pattern(new MockEnvironment().withProperty(RoutesFolder.PATTERN, "classpath:mine/*.yaml")
                .withProperty(RoutesFolder.DIR, dir.resolve("missing").toString()))).isEqualTo("classpath:mine/*.yaml");
    }

    @Test
    void aNamedFolderThatIsMissingOrHoldsNoRouteFileIsRefusedNamingIt() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> pattern(new MockEnvironment().withProperty(RoutesFolder.DIR, missing.toString())))
                .hasMessage("o365.routes.dir: the folder " + missing + " does not exist");
        Files.writeString(dir.resolve("routes.yaml"), "[]");
        assertThatThrownBy(() -> pattern(new MockEnvironment().withProperty(RoutesFolder.DIR, dir.toString())))
                .hasMessage("o365.routes.dir: the folder " + dir + " holds no route file (*.camel.yaml)");
    }
}
