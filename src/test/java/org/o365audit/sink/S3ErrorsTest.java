package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorsTest {
    static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build()).build();
    }

    @Test
    void settingsToFixAreRefusals() {
        for (var e : new S3Exception[] {answer(404, "NoSuchBucket"), answer(403, "AccessDenied"),
                answer(403, "InvalidAccessKeyId"), answer(403, "SignatureDoesNotMatch"), answer(301, "PermanentRedirect"),
                answer(400, "AuthorizationHeaderMalformed")}) {
            RuntimeException r = S3Errors.classify(new CamelExecutionException("put", null, e), "b1");
            assertThat(r).isInstanceOf(SinkRefusedException.class);
            assertThat(r.getMessage()).contains("HTTP " + e.statusCode(), e.awsErrorDetails().errorCode(), "bucket b1");
        }
    }

    @Test
    void aStoreDownOrBusyIsRetried() {
        for (var e : new S3Exception[] {answer(503, "SlowDown"), answer(500, "InternalError"), answer(400, "RequestTimeout"),
                answer(429, "TooManyRequests"), answer(400, "BadDigest")}) {
            assertThat(S3Errors.classify(e, "b1")).isInstanceOf(SinkUnavailableException.class);
        }
        assertThat(S3Errors.classify(SdkClientException.create("Connection refused"), "b1"))
                .isInstanceOf(SinkUnavailableException.class).hasMessageContaining("Connection refused");
        assertThat(S3Errors.classify(new IllegalStateException("?"), "b1")).isInstanceOf(SinkUnavailableException.class);
    }
}
