package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RabbitSinkTest {
    @Test
    void aRoutingKeyKeepsLettersDigitsDotsDashesAndUnderscoresAndNothingElse() {
        assertThat(RabbitSink.sanitize("o365.Azure AD.Set-Mailbox")).isEqualTo("o365.Azure_AD.Set-Mailbox");
        assertThat(RabbitSink.sanitize("o365.a\u0000b\"c\\d\ne*f#g")).isEqualTo("o365.a_b_c_d_e_f_g");
        assertThat(RabbitSink.sanitize("o365.山田😀")).isEqualTo("o365.___");
        assertThat(RabbitSink.sanitize(null)).isEmpty();
        assertThat(RabbitSink.sanitize("x".repeat(1000))).hasSize(255);
    }

    @Test
    void theMessageIdIsTenantSlashIdOrTheIdsHashWhenTooLongForAShortString() {
        assertThat(RabbitSink.messageId("t1", "a-b")).isEqualTo("t1/a-b");
        String longId = "é".repeat(200);
        String id = RabbitSink.messageId("t1", longId);
        assertThat(id).startsWith("t1/sha256:").hasSize("t1/sha256:".length() + 64);
        assertThat(RabbitSink.messageId("t1", longId)).isEqualTo(id);
    }
}
