package org.o365audit.sink;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a failed S3 upload means for the s3 sink. The store is down, slow or busy (no connection, a timeout,
 * 5xx, 503 SlowDown, 429): {@link SinkUnavailableException}, the batch goes again after a back-off. The store
 * refuses the sink's settings (no such bucket, wrong or disabled keys, a signature it does not accept, a bucket in
 * another region, any other 4xx): {@link SinkRefusedException}, nothing is set aside and the batch waits until
 * the setting is fixed. An S3 refusal is never about one record, so no record is ever set aside.
 */
public final class S3Errors {
    /** 4xx codes that pass by themselves: the same request succeeds a moment later. */
    private static final Set<String> PASSING = Set.of("SlowDown", "RequestTimeout", "OperationAborted", "BadDigest",
            "ServiceUnavailable", "InternalError", "Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequests");

    private S3Errors() {
    }

    /** The exception to throw for a failure of the sink's upload to bucket. */
    public static RuntimeException classify(Throwable failure, String bucket) {
        if (failure instanceof SinkRefusedException r) {
            return r;
        }
        if (failure instanceof SinkUnavailableException u) {
            return u;
        }
        AwsServiceException aws = find(failure, AwsServiceException.class);
        if (aws != null) {
            int status = aws.statusCode();
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            String said = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
            String what = "S3 answered HTTP " + status + (code == null || code.isBlank() ? "" : " " + code);
            if (status >= 500 || status == 408 || status == 429 || (code != null && PASSING.contains(code))) {
                return new SinkUnavailableException(what + (said == null ? "" : ": " + said), aws);
            }
            return new SinkRefusedException(what + " for bucket " + bucket, said == null ? "" : said);
        }
        SdkClientException client = find(failure, SdkClientException.class);
        if (client != null) {
            return new SinkUnavailableException("S3 not reachable: " + client.getMessage(), client);
        }
        return new SinkUnavailableException("S3 upload failed: " + failure, failure);
    }

    /** The error code of an S3 answer in the failure's causes, or null. */
    public static String code(Throwable failure) {
        AwsServiceException aws = find(failure, AwsServiceException.class);
        return aws == null || aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
