package org.o365audit.it.receivers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Apache Kafka broker (kafka_2.13 at the version of kafka-clients) in KRaft mode, one node that is broker and
 * controller, in a child JVM of its own on free ports of 127.0.0.1, its log under target/kafka/&lt;name&gt;. A child
 * process rather than in this JVM: the broker's threads, MBeans and logging stay out of the Spring tests, and
 * {@link #stop()} takes it down the way an outage does (connections refused), {@link #kill()} as SIGKILL does.
 * {@link #restart()} brings it back on the same port with the same log, so every acknowledged record is still there.
 * Topics are not created automatically: a test creates its own ({@link #createTopic}).
 * <p>
 * {@link #startSaslSsl} adds a second client listener, SASL_SSL with the PLAIN mechanism, that presents a certificate
 * made for the run and takes only the given users; the PLAINTEXT listener stays (the broker's own and this class's
 * admin, {@link #readAll} and {@link #count} use it), the controller listener is PLAINTEXT.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int securePort;
    private final SelfSignedCertificate certificate;
    private final Map<String, String> users;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, int securePort, SelfSignedCertificate certificate,
            Map<String, String> users) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.securePort = securePort;
        this.certificate = certificate;
        this.users = users;
    }

    /** A fresh broker under target/kafka/&lt;name&gt; (emptied first), started and answering. */
    public static KafkaBroker start(String name) {
        return start(name, null, Map.of());
    }

    /**
     * A fresh broker as {@link #start(String)} with, besides, a SASL_SSL listener ({@link #saslSslBootstrapServers()})
     * that presents {@code certificate} (which must name 127.0.0.1) and takes SASL PLAIN for the {@code users}
     * (name to password).
     */
    public static KafkaBroker startSaslSsl(String name, SelfSignedCertificate certificate, Map<String, String> users) {
        return start(name, certificate, users);
    }

    private static KafkaBroker start(String name, SelfSignedCertificate certificate, Map<String, String> users) {
        try {
            Path dir = Path.of("target", "kafka", name).toAbsolutePath();
            deleteTree(dir);
            Files.createDirectories(dir);
            KafkaBroker b = new KafkaBroker(dir, freePort(), freePort(), certificate == null ? 0 : freePort(),
                    certificate, Map.copyOf(users));
            b.writeConfiguration();
            b.launch();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_SSL listener (only with {@link #startSaslSsl}). */
    public String saslSslBootstrapServers() {
        if (securePort == 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return "127.0.0.1:" + securePort;
    }

    public int port() {
        return port;
    }

    /** Graceful stop (SIGTERM: the broker flushes and closes its listener); the log stays for {@link #restart()}. */
    public void stop() {
        end(false);
    }

    /** SIGKILL: no flush, no goodbye to the clients. */
    public void kill() {
        end(true);
    }

    /** Up again on the same port with the same log. */
    public void restart() {
        if (process != null && process.isAlive()) {
            stop();
        }
        launch();
    }

    @Override
    public void close() {
        end(false);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    public List<ConsumerRecord<String, String>> readAll(String topic) {
        return readAll(bootstrapServers(), topic);
    }

    public long count(String topic) {
        return count(bootstrapServers(), topic);
    }

    /**
     * Every record of the topic from its beginning up to its end at the time of the call (all partitions, no consumer
     * group, nothing committed), keys and values as UTF-8 text. Empty for a topic that does not exist.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            var infos = c.listTopics(Duration.ofSeconds(20)).get(topic);
            if (infos == null) {
                return List.of();
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(20));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + ": not read to its end in 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * The number of records in the topic: end minus start offsets over all partitions, read without fetching a record
     * (0 for a topic that does not exist). For the tests' polls and the benchmark.
     */
    public static long count(String bootstrapServers, String topic) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            var infos = c.listTopics(Duration.ofSeconds(20)).get(topic);
            if (infos == null) {
                return 0;
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> start = c.beginningOffsets(parts, Duration.ofSeconds(20));
            return c.endOffsets(parts, Duration.ofSeconds(20)).entrySet().stream()
                    .mapToLong(e -> e.getValue() - start.get(e.getKey())).sum();
        }
    }

    private void writeConfiguration() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (securePort != 0) {
            addSaslSslListener(p);
        }
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        try (var out = Files.newBufferedWriter(dir.resolve("server.properties"))) {
            p.store(out, "test broker");
        }
        Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="out"/></root>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                </configuration>
                """);
    }

    /** listener SASL_SSL: the certificate as inline PEM (key unencrypted), SASL PLAIN with the users. */
    private void addSaslSslListener(Properties p) throws IOException {
        p.setProperty("listeners", p.getProperty("listeners") + ",SASL_SSL://127.0.0.1:" + securePort);
        p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL_SSL://127.0.0.1:" + securePort);
        p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN");
        String l = "listener.name.sasl_ssl.";
        p.setProperty(l + "sasl.enabled.mechanisms", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        p.setProperty(l + "plain.sasl.jaas.config", jaas.append(';').toString());
        p.setProperty(l + "ssl.keystore.type", "PEM");
        p.setProperty(l + "ssl.keystore.certificate.chain", Files.readString(certificate.pem()));
        p.setProperty(l + "ssl.keystore.key", Files.readString(certificate.key()));
        p.setProperty(l + "ssl.client.auth", "none");
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp", System.getProperty("java.class.path"),
                KafkaBroker.class.getName(), dir.resolve("server.properties").toString(), dir.getFileName().toString()));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
            // a test JVM that ends without closing its broker (a static one, a failed class) takes it along
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kafka-broker-" + port + "-stop"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY.toNanos();
        Map<String, Object> cfg = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker ended at start: see " + dir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(cfg)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                sleep(200);
            }
        }
        end(true);
        throw new IllegalStateException("the Kafka broker did not answer within " + READY + ": see " + dir.resolve("broker.log"));
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The child JVM: formats the log directory once (KRaft storage with a fresh cluster id), then runs the broker
     * until it is stopped.
     */
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(in);
        }
        if (!Files.exists(Path.of(p.getProperty("log.dirs"), "meta.properties"))) {
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", args[0]},
                    new PrintStream(System.out, true));
            if (rc != 0) {
                System.err.println("kafka storage format failed: " + rc);
                Runtime.getRuntime().halt(rc);
            }
        }
        kafka.Kafka.main(new String[] {args[0]});
    }
}
