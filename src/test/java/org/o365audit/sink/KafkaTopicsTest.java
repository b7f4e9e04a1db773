package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaTopicsTest {
    @Test
    void illegalCharactersBecomeUnderscoresAndLongNamesAreCut() {
        assertThat(KafkaTopics.sanitize("o365.Azure AD")).isEqualTo("o365.Azure_AD");
        assertThat(KafkaTopics.sanitize("o365.Zoë/東京\"\\\n\u0000")).isEqualTo("o365.Zo______");
        assertThat(KafkaTopics.sanitize("a".repeat(300))).hasSize(249);
        assertThat(KafkaTopics.sanitize(" o365.Exchange ")).isEqualTo("o365.Exchange");
    }

    @Test
    void nothingUsableLeftIsNoTopic() {
        assertThat(KafkaTopics.sanitize(null)).isNull();
        assertThat(KafkaTopics.sanitize("")).isNull();
        assertThat(KafkaTopics.sanitize(".")).isNull();
        assertThat(KafkaTopics.sanitize("..")).isNull();
    }
}
