package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeTest {

    @ParameterizedTest(name = "ResultStatus {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "Succeeded, SUCCESS", "Success, SUCCESS", "success, SUCCESS", "PartiallySucceeded, SUCCESS", "True, SUCCESS",
            "Failed, FAILURE", "failed, FAILURE", "FALSE, FAILURE", "Failure, FAILURE",
            "null, SUCCESS", "'', SUCCESS", "Redirect, SUCCESS"})
    void onlyAnExplicitFailureIsAFailure(String resultStatus, Outcome expected) {
        assertThat(Outcome.of(resultStatus)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: ecs {1}, severity {2}")
    @CsvSource({"SUCCESS, success, 3", "FAILURE, failure, 5"})
    void mapsToEcsAndSeverity(Outcome o, String ecs, int severity) {
        assertThat(o.ecs()).isEqualTo(ecs);
        assertThat(o.severity()).isEqualTo(severity);
    }
}
