package org.o365audit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.o365audit.auth.PinnedCertificates;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.O365Properties;
import org.o365audit.config.SimulatorMode;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.mock.env.MockEnvironment;

/** The simulated tenant runs only while nothing real is configured, or when asked for with mode always. */
@ExtendWith(OutputCaptureExtension.class)
class SimulatedTenantSetupTest {

    private static final String EMBEDDED = "jdbc:h2:file:./data/o365-audit";

    private final PinnedCertificates pins = new PinnedCertificates();
    private SimulatedTenantSetup setup;

    @AfterEach
    void stop() throws Exception {
        if (setup != null) {
            setup.destroy();
        }
    }

    @Test
    void theShippedConfigurationRunsTheSimulatedTenant() throws IOException {
        Binder shipped = shippedConfiguration();
        O365Properties props = shipped.bind("o365", O365Properties.class).get();
        props.getSimulator().setHistory(Duration.ofHours(1));

        List<Tenant> collected = collected(props, shipped.bind("spring.datasource.url", String.class).get());

        assertThat(collected).extracting(Tenant::name).containsExactly("simulated-contoso");
    }

    @Test
    void theCollectorTrustsTheCertificateTheSimulatorMadeAtStart() throws Exception {
        O365Properties props = demo();
        props.getSimulator().setHistory(Duration.ofHours(1));
        Tenant simulated = collected(props, EMBEDDED).get(0);

        HttpClient collector = HttpClient.newBuilder().sslContext(pins.sslContext(simulated)).build();
        HttpResponse<String> tokenCall = collector.send(HttpRequest.newBuilder(URI.create(simulated.authority()
                + "oauth2/v2.0/token")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenCall.statusCode()).isEqualTo(400);   // reached: a token request without a client
        assertThat(simulated.trustStore()).isNull();          // no key store file, on disk or in the jar
    }

    @Test
    void aConfiguredTenantKeepsTheSimulatorOffAndNoDemoTenantAppears(CapturedOutput out) {
        O365Properties props = demo();
        props.getTenants().add(contoso());

        assertThat(collected(props, EMBEDDED)).extracting(Tenant::name).containsExactly("contoso");
        assertThat(out.getOut()).contains("simulator off: tenant contoso is configured");
    }

    @Test
    void aSinkBesideTheDemoSinkKeepsTheSimulatorOff(CapturedOutput out) {
        O365Properties props = demo();
        props.getSinks().put("siem", Map.of("type", "syslog", "host", "siem.example.com", "port", "6514"));

        assertThat(collected(props, EMBEDDED)).isEmpty();
        assertThat(out.getOut()).contains("simulator off: sink siem is configured");
    }

    @Test
    void theDemoSinkPointedElsewhereCountsAsARealSink() {
        O365Properties props = demo();
        props.getSinks().put("archive", Map.of("type", "files", "directory", "/srv/siem-inbox"));

        assertThat(collected(props, EMBEDDED)).isEmpty();
    }

    @Test
    void aSwitchedOffSinkDoesNotCount() {
        O365Properties props = demo();
        props.getSinks().put("siem", Map.of("type", "syslog", "host", "siem.example.com", "enabled", "false"));

        assertThat(SimulatorGate.decide(props, EMBEDDED).on()).isTrue();
    }

    @Test
    void aDatabaseOtherThanTheEmbeddedOneKeepsTheSimulatorOffWithoutLoggingItsUrl(CapturedOutput out) {
        O365Properties props = demo();

        assertThat(collected(props, "jdbc:postgresql://db.example.com:5432/o365?password=hunter2")).isEmpty();
        assertThat(out.getOut()).contains("simulator off: the database is postgresql, not the embedded H2")
                .doesNotContain("hunter2").doesNotContain("db.example.com");
    }

    @Test
    void modeAlwaysRunsItBesideARealTenant() {
        O365Properties props = demo();
        props.getSimulator().setMode(SimulatorMode.ALWAYS);
        props.getSimulator().setHistory(Duration.ofHours(1));
        props.getTenants().add(contoso());

        assertThat(collected(props, EMBEDDED)).extracting(Tenant::name)
                .containsExactlyInAnyOrder("contoso", "simulated-contoso");
    }

    @Test
    void modeNeverKeepsItOffWithNothingConfigured() {
        O365Properties props = demo();
        props.getSimulator().setMode(SimulatorMode.NEVER);

        assertThat(collected(props, EMBEDDED)).isEmpty();
    }

    @Test
    void aMisspeltModeIsAStartupError() {
        Binder binder = new Binder(ConfigurationPropertySources.from(
                new org.springframework.core.env.MapPropertySource("test", Map.of("o365.simulator.mode", "alwyas"))));

        assertThatThrownBy(() -> binder.bind("o365", O365Properties.class)).isInstanceOf(BindException.class)
                .hasMessageContaining("o365.simulator.mode");
        assertThat(new Binder(ConfigurationPropertySources.from(new org.springframework.core.env.MapPropertySource("test",
                Map.of("o365.simulator.mode", "Always")))).bind("o365", O365Properties.class).get()
                .getSimulator().getMode()).isEqualTo(SimulatorMode.ALWAYS);
    }

    private List<Tenant> collected(O365Properties props, String datasourceUrl) {
        TenantRegistry registry = new TenantRegistry(props, new MockEnvironment());
        setup = new SimulatedTenantSetup(props, registry, pins, Clock.systemUTC(), datasourceUrl);
        return registry.all();
    }

    /** Nothing but the demo sink, as config/application.yaml ships it. */
    private static O365Properties demo() {
        O365Properties props = new O365Properties();
        props.getSinks().put("archive", Map.of("type", "files", "directory", "./data/ndjson", "roll-millis", "60000"));
        return props;
    }

    private static TenantProperties contoso() {
        TenantProperties t = new TenantProperties();
        t.setName("contoso");
        t.setTenantId("8d4121ed-0008-406d-bff9-0d5bb312183c");
        t.setClientId("fb78d390-0c51-40cd-8e17-fdbfab77341b");
        t.setClientSecret("not-used");
        return t;
    }

    private static Binder shippedConfiguration() throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("config/application.yaml",
                new FileSystemResource("config/application.yaml"));
        return new Binder(ConfigurationPropertySources.from(sources));
    }
}
