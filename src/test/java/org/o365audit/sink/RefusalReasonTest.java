package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;

/** What a refused sink shows as its reason: the destination's words, never a secret of ours. */
class RefusalReasonTest {

    @Test
    void aSecretTheDestinationEchoesIsMasked() {
        O365Properties props = new O365Properties();
        props.setSinks(Map.of("elastic", Map.of("type", "elasticsearch", "url", "https://es.example.com",
                "authorization", "ApiKey dGVzdDpzM2NyZXQta2V5")));
        SinkSettings settings = new SinkSettings(props);

        assertThat(settings.redact("elastic", "_bulk answered HTTP 401: bad credentials [ApiKey dGVzdDpzM2NyZXQta2V5]"))
                .isEqualTo("_bulk answered HTTP 401: bad credentials [****]");
        assertThat(settings.redact("elastic", "unknown key dGVzdDpzM2NyZXQta2V5")).isEqualTo("unknown key ****");
        assertThat(settings.redact("elastic", "https://es.example.com answered 404"))
                .isEqualTo("https://es.example.com answered 404");
        assertThat(settings.redact("other", "nothing to hide")).isEqualTo("nothing to hide");
    }

    @Test
    void aRedirectIsShownWithoutCredentialsOrQuery() {
        assertThat(WebhookSink.withoutCredentials("https://user:pw@hooks.example.com:8443/v2/in?token=abc#x"))
                .isEqualTo("https://hooks.example.com:8443/v2/in");
        assertThat(WebhookSink.withoutCredentials("/moved?sig=abc")).isEqualTo("/moved");
        assertThat(WebhookSink.withoutCredentials(null)).isNull();
    }

    @Test
    void theDestinationsWordsAreShortAndOnOneLine() {
        assertThat(WebhookSink.excerpt("{\n  \"error\": \"unauthorized\"\u001b[31m\n}")).isEqualTo("{ \"error\": \"unauthorized\" [31m }");
        assertThat(WebhookSink.excerpt("x".repeat(500))).hasSize(201).endsWith("…");
    }
}
