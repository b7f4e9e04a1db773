package org.o365audit.config;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RetentionPropertiesTest {
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static O365Properties bind(Map<String, String> yaml) {
        return new Binder(new MapConfigurationPropertySource(yaml)).bind("o365", O365Properties.class)
                .orElseGet(O365Properties::new);
    }

    private static Set<String> invalidKeys(O365Properties props) {
        return VALIDATOR.validate(props).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString)
                .collect(Collectors.toSet());
    }

    @Test
    void keepsEverythingForeverUnlessARetentionIsSet() {
        RetentionProperties r = bind(Map.of()).getRetention();

        assertThat(RetentionProperties.deletes(r.getAuditEvent())).isFalse();
        assertThat(RetentionProperties.deletes(r.getQuarantine())).isFalse();
        assertThat(RetentionProperties.deletes(r.getSinkSetAside())).isFalse();
        assertThat(RetentionProperties.deletes(Duration.ZERO)).isFalse();
        assertThat(r.getBatchSize()).isEqualTo(1000);
        assertThat(r.getInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void readsDaysAsWrittenInApplicationYaml() {
        RetentionProperties r = bind(Map.of("o365.retention.audit-event", "90d", "o365.retention.quarantine", "30d",
                "o365.retention.sink-set-aside", "720h", "o365.retention.interval", "15m")).getRetention();

        assertThat(r.getAuditEvent()).isEqualTo(Duration.ofDays(90));
        assertThat(r.getQuarantine()).isEqualTo(Duration.ofDays(30));
        assertThat(r.getSinkSetAside()).isEqualTo(Duration.ofDays(30));
        assertThat(r.getInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(RetentionProperties.deletes(r.getAuditEvent())).isTrue();
    }

    @Test
    void refusesNegativeRetentionsAnEmptyBatchAndAZeroInterval() {
        O365Properties props = bind(Map.of("o365.retention.audit-event", "-90d", "o365.retention.batch-size", "0",
                "o365.retention.interval", "0s"));
        assertThat(invalidKeys(bind(Map.of("o365.retention.audit-event", "90d")))).isEmpty();

        assertThat(invalidKeys(props)).containsExactlyInAnyOrder("retention.auditEvent", "retention.batchSize",
                "retention.interval");
    }
}
