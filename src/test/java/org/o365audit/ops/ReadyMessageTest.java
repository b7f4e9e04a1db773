package org.o365audit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ready block names the database without the credentials a JDBC URL may carry. */
class ReadyMessageTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://db.example:5432/o365?user=o365&password=s3cret&ssl=true",
            "jdbc:postgresql://db.example:5432/o365?PASSWORD=s3cret",
            "jdbc:mysql://o365:s3cret@db.example/o365",
            "jdbc:sqlserver://db.example;user=o365;password=s3cret;encrypt=true",
            "jdbc:h2:tcp://db.example/o365;USER=sa;PASSWORD=s3cret"})
    void leavesTheCredentialsOut(String url) {
        String shown = ReadyMessage.database(url);
        assertThat(shown).doesNotContain("s3cret").contains("db.example");
    }

    @Test
    void namesTheH2File() {
        assertThat(ReadyMessage.database("jdbc:h2:file:./data/o365-audit;MODE=PostgreSQL"))
                .startsWith("H2 file " + Path.of("data/o365-audit.mv.db").toAbsolutePath());
        assertThat(ReadyMessage.database("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    }
}
