package org.o365audit.it.receivers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy (org.gaul:s3proxy, a maintained S3-compatible server; Maven copies its jar to target/s3proxy/) as the s3
 * sink's destination: a child JVM on a free port of 127.0.0.1, AWS signatures v2/v4 with a fixed access key and
 * secret key, objects kept as files under target/s3/&lt;name&gt;-&lt;random&gt;/ so that they outlive {@link #stop()} and
 * are there again after {@link #restart()} on the same port (a store going down and coming back).
 * The readers here see what a consumer of the archive sees: keys, metadata, the gunzipped NDJSON lines.
 */
public final class S3Server implements AutoCloseable {
    public static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
    public static final String ACCESS_KEY = "o365-archive-writer";
    public static final String SECRET_KEY = "s3-secret-Xq84mT2vLr";
    private static final Duration STARTUP = Duration.ofSeconds(40);

    private final Path dir;
    private final int port;
    private final S3Client client;
    private Process process;
    private final Thread shutdownHook = new Thread(this::stop, "s3proxy-shutdown");

    private S3Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.client = S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Starts S3Proxy with an empty store and returns once it answers a ListBuckets. */
    public static S3Server start(String name) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run through Maven (process-test-resources copies it)");
        }
        Path dir = Path.of("target", "s3", name + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        S3Server s = new S3Server(dir, freePort());
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=" + s.endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        s.launch();
        return s;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A client of the store with the server's own key (path-style, as S3Proxy serves). */
    public S3Client client() {
        return client;
    }

    public S3Server createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
        return this;
    }

    /** The server goes away (its port refuses connections); the objects stay on disk. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Back on the same port with the same objects. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        client.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran
        }
    }

    /** Every key under the prefix, in key order. */
    public List<String> keys(String bucket, String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                // the filesystem store lists its folders as empty objects; the sink never writes an empty one
                .filter(o -> o.size() > 0 && !o.key().endsWith("/"))
                .map(S3Object::key)
                .toList();
    }

    public HeadObjectResponse head(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key));
    }

    /** The stored bytes of an object, as written (gzipped). */
    public byte[] bytes(String bucket, String key) {
        ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return r.asByteArray();
    }

    /** The NDJSON lines of one gzipped object. */
    public List<String> lines(String bucket, String key) {
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(client.getObject(b -> b.bucket(bucket).key(key))), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every NDJSON line of every object under the prefix (empty while the bucket does not exist). */
    public List<String> allLines(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        for (String key : keys(bucket, prefix)) {
            out.addAll(lines(bucket, key));
        }
        return out;
    }

    /** How many records (NDJSON lines) the objects under the prefix hold: for the throughput benchmark. */
    public long countLines(String bucket, String prefix) {
        return allLines(bucket, prefix).size();
    }

    private void launch() {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(),
                "--properties", dir.resolve("s3proxy.properties").toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + dir.resolve("s3proxy.log"));
            }
            try {
                client.listBuckets();
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("S3Proxy did not answer within " + STARTUP + "; see " + dir.resolve("s3proxy.log"), notYet);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
