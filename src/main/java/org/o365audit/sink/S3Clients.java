package org.o365audit.sink;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import org.springframework.stereotype.Component;

/**
 * Makes the S3 client of each s3 sink (bound by SinkRoutes as sinkS3Client-&lt;name&gt;, handed to camel-aws2-s3 as
 * amazonS3Client), so that the secret key goes from o365.sinks.&lt;name&gt;.secret-key straight into the client and
 * never into a route parameter, an endpoint URI, a log or JMX.
 */
@Component("s3Clients")
public class S3Clients {
    private final SinkSettings settings;
    private final Map<String, S3Client> bySink = new ConcurrentHashMap<>();

    public S3Clients(SinkSettings settings) {
        this.settings = settings;
    }

    public static String beanName(String sink) {
        return "sinkS3Client-" + sink;
    }

    /** The client for the sink's template parameters (endpoint, region, accessKey, pathStyleAccess). */
    public S3Client client(String sink, Map<String, String> params) {
        return client(sink, params.getOrDefault("endpoint", ""), params.getOrDefault("region", ""),
                params.getOrDefault("accessKey", ""), params.getOrDefault("pathStyleAccess", "false"));
    }

    /**
     * @param endpoint an S3-compatible store's URL (MinIO, Ceph, ...), empty for AWS itself
     * @param accessKey the access key id; empty: the AWS default chain (environment, profile, instance role)
     * @param pathStyle "true" for https://host/bucket/key instead of https://bucket.host/key
     */
    public S3Client client(String sink, String endpoint, String region, String accessKey, String pathStyle) {
        var b = S3Client.builder()
                .region(Region.of(region == null || region.isBlank() ? "us-east-1" : region))
                .credentialsProvider(credentials(sink, accessKey))
                .forcePathStyle(Boolean.parseBoolean(pathStyle))
                // CRC trailers only where S3 requires them: many S3-compatible stores refuse aws-chunked uploads;
                // integrity comes from the Content-MD5 every object is sent with
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // a few quick tries per object (a pooled connection the store closed after refusing a request
                // fails with "Broken pipe" on its next use); past them the sink driver waits and sends the batch
                // again (1 s doubling to 5 min)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(3))
                        .apiCallTimeout(Duration.ofSeconds(120)))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(8));
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint.trim()));
        }
        S3Client client = b.build();
        bySink.put(sink, client);
        return client;
    }

    /** The client last made for the sink. */
    public S3Client of(String sink) {
        S3Client c = bySink.get(sink);
        if (c == null) {
            throw new IllegalStateException("sink " + sink + ": no S3 client");
        }
        return c;
    }

    private AwsCredentialsProvider credentials(String sink, String accessKey) {
        String secretKey = settings.secret(sink, "secret-key");
        if (accessKey == null || accessKey.isBlank()) {
            if (secretKey != null) {
                throw new IllegalStateException("o365.sinks." + sink + ".access-key: required with a secret-key");
            }
            return DefaultCredentialsProvider.builder().build();
        }
        if (secretKey == null) {
            throw new IllegalStateException("o365.sinks." + sink + ".secret-key: required with an access-key");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.trim(), secretKey));
    }
}
