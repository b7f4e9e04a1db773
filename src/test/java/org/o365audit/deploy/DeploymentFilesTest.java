package org.o365audit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;
import org.o365audit.config.RoutesFolder;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/ cannot be run here (no cluster, no container runtime), so this holds its files to what the application
 * really is: the actuator paths and port it serves, the properties it binds, the image the pom builds, the jar's
 * name. Properties are checked by Spring Boot's own binder, the way the running application reads them.
 */
class DeploymentFilesTest {
    static final Path KUBERNETES = Path.of("deploy/kubernetes");
    static final Path SYSTEMD = Path.of("deploy/systemd");
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}");
    static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|token|authorization|passphrase).*");
    /** What a placeholder in a committed secret may look like: nothing else passes. */
    static final Pattern PLACEHOLDER_VALUE = Pattern.compile("CHANGE-ME");

    /** The @ConfigurationProperties the deployment files may set, by prefix, as the application binds them. */
    static final Map<String, Supplier<Object>> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("o365", O365Properties::new);
        TARGETS.put("spring.datasource", DataSourceProperties::new);
        TARGETS.put("spring.datasource.hikari", HikariConfig::new);
        TARGETS.put("spring.security", SecurityProperties::new);
        TARGETS.put("server", ServerProperties::new);
    }

    /** Keys read from the environment directly, not through a properties class. */
    static final Set<String> READ_DIRECTLY = Set.of(RoutesFolder.DIR);

    @Test
    void probesUseTheActuatorPathsAndPortTheApplicationServes() throws IOException {
        Map<String, Object> app = yaml(Path.of("config/application.yaml"));
        String context = string(app, "server.servlet.context-path", "");
        String base = string(app, "management.endpoints.web.base-path", "/actuator");
        String health = string(app, "management.endpoints.web.path-mapping.health", "health");
        String exposed = string(app, "management.endpoints.web.exposure.include", "health");
        assertThat(List.of(exposed.split("\\s*,\\s*"))).as("health is exposed over HTTP").containsAnyOf("health", "*");
        assertThat(string(app, "management.endpoint.health.probes.enabled", "false"))
                .as("liveness and readiness groups are served").isEqualTo("true");
        int port = Integer.parseInt(string(app, "management.server.port", string(app, "server.port", "8080")));
        String liveness = context + base + "/" + health + "/liveness";
        String readiness = context + base + "/" + health + "/readiness";

        Map<String, Object> container = container();
        assertThat(probe(container, "livenessProbe")).isEqualTo(new Probe(liveness, port));
        assertThat(probe(container, "startupProbe")).isEqualTo(new Probe(liveness, port));
        assertThat(probe(container, "readinessProbe")).isEqualTo(new Probe(readiness, port));
    }

    @Test
    void everyVariableTheDeploymentSetsIsAPropertyOrAPlaceholderOfItsConfiguration() throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Map<String, Object> e : list(container(), "env")) {
            env.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : "from-" + e.get("valueFrom"));
        }
        Set<String> secretKeys = map(kind("Secret"), "stringData").keySet();
        for (Map<String, Object> from : list(container(), "envFrom")) {
            assertThat(get(from, "secretRef.name")).as("envFrom names the Secret")
                    .isEqualTo(get(kind("Secret"), "metadata.name"));
        }
        secretKeys.forEach(k -> env.putIfAbsent(k, "CHANGE-ME"));
        Set<String> placeholders = placeholders(configMapApplicationYaml());

        assertThat(unbound(env, placeholders)).as("variables that set no property and fill no ${placeholder}")
                .isEmpty();
        assertThat(env).as("the cluster is on").containsEntry("O365_CLUSTER_ENABLED", "true");
        O365Properties bound = bind(env, "o365", O365Properties::new);
        assertThat(bound.getCluster().isEnabled()).isTrue();
        assertThat(bound.getCluster().getNodeName()).as("node name from the pod's name (downward API)")
                .isEqualTo("from-{fieldRef={fieldPath=metadata.name}}");
        assertThat(placeholders).as("every ${placeholder} of the ConfigMap is filled by the Deployment")
                .allMatch(env::containsKey);
    }

    @Test
    void everyKeyOfTheConfigMapBindsToAProperty() throws IOException {
        PropertySource<?> source = new YamlPropertySourceLoader()
                .load("configmap", new ByteArrayResource(configMapApplicationYaml().getBytes())).get(0);
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
            keys.put(name, source.getProperty(name).toString());
        }
        List<String> unbound = new ArrayList<>();
        keys.forEach((k, v) -> {
            if (!binds(new MapPropertySource("one", Map.of(k, v)))) {
                unbound.add(k);
            }
            if (SECRET_KEY.matcher(k).matches()) {
                assertThat(v.toString()).as(k + " is a ${placeholder}, not a value").matches(PLACEHOLDER.pattern());
            }
        });
        assertThat(unbound).as("keys of the ConfigMap's application.yaml that bind nowhere").isEmpty();
        assertThat(keys).containsEntry("o365.cluster.takeover", "30s");
    }

    @Test
    void theSecretHoldsPlaceholdersOnly() throws IOException {
        Map<String, Object> secret = kind("Secret");
        assertThat(secret).as("base64 data hides what is committed; stringData only").doesNotContainKey("data");
        map(secret, "stringData").forEach((k, v) ->
                assertThat(String.valueOf(v)).as("Secret key " + k).matches(PLACEHOLDER_VALUE));
        String secretFile = KUBERNETES.relativize(file("Secret")).toString();
        assertThat(kustomizationResources()).as("kubectl apply -k must not overwrite real secrets with placeholders")
                .doesNotContain(secretFile);
    }

    @Test
    void theKustomizationAppliesEveryManifestButTheSecret() throws IOException {
        List<String> manifests;
        try (var files = Files.list(KUBERNETES)) {
            manifests = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .filter(f -> !f.equals("kustomization.yaml")).sorted().toList();
        }
        String secretFile = KUBERNETES.relativize(file("Secret")).toString();
        assertThat(kustomizationResources()).containsExactlyInAnyOrderElementsOf(
                manifests.stream().filter(f -> !f.equals(secretFile)).toList());
    }

    @Test
    void theDeploymentMountsWhereTheImageLooksAndRunsAsItsUser() throws Exception {
        Element jib = jibConfiguration();
        String workdir = text(jib, "workingDirectory");
        Map<String, Object> deployment = kind("Deployment");
        Map<String, Object> pod = map(deployment, "spec.template.spec");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Map<String, Object> m : list(container(), "volumeMounts")) {
            mounts.put((String) m.get("name"), (String) m.get("mountPath"));
        }
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Map<String, Object> v : list(pod, "volumes")) {
            volumes.put((String) v.get("name"), v);
        }
        String configVolume = volumeOfConfigMap(volumes, (String) get(kind("ConfigMap"), "metadata.name"));
        assertThat(mounts.get(configVolume)).as("config/ of the image's working directory")
                .isEqualTo(workdir + "/config");
        assertThat(map(kind("ConfigMap"), "data")).containsKey("application.yaml");
        String routesVolume = volumeOfConfigMap(volumes, "o365-audit-routes");
        assertThat(mounts.get(routesVolume)).as("routes/ of the working directory").isEqualTo(workdir + "/routes");

        assertThat(get(pod, "securityContext.runAsUser").toString()).as("the image's user")
                .isEqualTo(text(jib, "user").split(":")[0]);
        assertThat(get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        Map<String, Object> http = list(container(), "ports").get(0);
        Map<String, Object> app = yaml(Path.of("config/application.yaml"));
        assertThat(http.get("containerPort").toString()).isEqualTo(string(app, "server.port", "8080"))
                .isEqualTo(text(jib, "port"));
        assertThat(text(jib, "jvmFlags")).contains("-XX:MaxRAMPercentage=");
        assertThat(get(container(), "resources.limits.memory")).as("MaxRAMPercentage needs a memory limit").isNotNull();
        assertThat(text(jib, "tar")).endsWith("/o365-audit-image.tar");
        assertThat(get(pod, "terminationGracePeriodSeconds")).isNotNull();
    }

    @Test
    void serviceAndDisruptionBudgetSelectTheCollectorPods() throws IOException {
        Map<String, Object> deployment = kind("Deployment");
        Map<String, Object> labels = map(deployment, "spec.template.metadata.labels");
        assertThat(labels).containsAllEntriesOf(map(kind("Service"), "spec.selector"));
        assertThat(labels).containsAllEntriesOf(map(kind("PodDisruptionBudget"), "spec.selector.matchLabels"));
        assertThat(labels).containsAllEntriesOf(map(deployment, "spec.selector.matchLabels"));
        int replicas = (Integer) get(deployment, "spec.replicas");
        assertThat(replicas).isEqualTo(3);
        assertThat((Integer) get(kind("PodDisruptionBudget"), "spec.maxUnavailable")).isLessThan(replicas);
        Object target = list(map(kind("Service"), "spec"), "ports").get(0).get("targetPort");
        assertThat(list(container(), "ports"))
                .anyMatch(p -> target.equals(p.get("name")) || target.equals(p.get("containerPort")));
    }

    @Test
    void theSystemdUnitStartsTheJarTheBuildMakes() throws Exception {
        Map<String, String> unit = unit(SYSTEMD.resolve("o365-audit.service"));
        String finalName = text(pom().getDocumentElement(), "finalName");
        String jar = List.of(unit.get("ExecStart").split("\\s+")).stream().filter(t -> t.endsWith(".jar"))
                .findFirst().orElseThrow();
        assertThat(Path.of(jar).getFileName().toString()).isEqualTo(finalName + ".jar");
        assertThat(jar).as("the jar lies in the working directory").startsWith(unit.get("WorkingDirectory") + "/");
        assertThat(unit.get("ExecStart")).contains(" -jar " + jar);
        assertThat(unit.get("User")).isNotBlank().isNotEqualTo("root");
        assertThat(unit).containsEntry("Restart", "on-failure").containsEntry("NoNewPrivileges", "true")
                .containsEntry("ProtectSystem", "strict").containsEntry("PrivateTmp", "true")
                .containsEntry("ReadWritePaths", unit.get("WorkingDirectory") + "/data")
                .containsKey("EnvironmentFile");
    }

    @Test
    void theSystemdEnvironmentExampleSetsRealPropertiesAndNoSecret() throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$")
                .matcher(Files.readString(SYSTEMD.resolve("o365-audit.env.example")));
        while (m.find()) {
            env.put(m.group(1), m.group(2).trim());
            if (SECRET_KEY.matcher(m.group(1)).matches()) {
                assertThat(m.group(2).trim()).as(m.group(1)).matches(PLACEHOLDER_VALUE);
            }
        }
        assertThat(env).containsKeys("O365_CLUSTER_ENABLED", "SPRING_DATASOURCE_URL");
        assertThat(unbound(env, placeholders(Files.readString(Path.of("config/application.yaml")))))
                .as("variables that set no property and fill no ${placeholder}").isEmpty();
    }

    // --- binding, the way the application does it

    static Set<String> unbound(Map<String, Object> env, Set<String> placeholders) {
        Set<String> unbound = new TreeSet<>();
        env.forEach((name, value) -> {
            if (!placeholders.contains(name)
                    && !binds(environment(Map.of(name, value)))
                    && READ_DIRECTLY.stream().noneMatch(k -> k.equals(asProperty(name)))) {
                unbound.add(name);
            }
        });
        return unbound;
    }

    static String asProperty(String variable) {
        return variable.toLowerCase().replace('_', '.');
    }

    /** True when the one property of this source sets a field of one of the application's properties classes. */
    static boolean binds(PropertySource<?> one) {
        Binder binder = new Binder(ConfigurationPropertySources.from(one));
        List<Object> bound = new ArrayList<>();
        BoundPropertiesTrackingBindHandler handler = new BoundPropertiesTrackingBindHandler(bound::add);
        TARGETS.forEach((prefix, target) -> binder.bind(prefix, Bindable.ofInstance(target.get()), handler));
        return !bound.isEmpty();
    }

    @SuppressWarnings("unchecked")
    static <T> T bind(Map<String, Object> env, String prefix, Supplier<T> target) {
        return new Binder(ConfigurationPropertySources.from(environment(env)))
                .bind(prefix, Bindable.ofInstance(target.get())).get();
    }

    /** Variables as Spring Boot reads them: its relaxed mapping (O365_CLUSTER_NODENAME) holds only under this name. */
    static PropertySource<?> environment(Map<String, Object> variables) {
        String name = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        return new SystemEnvironmentPropertySource(name, variables);
    }

    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    // --- the files

    record Probe(String path, int port) {}

    Probe probe(Map<String, Object> container, String kind) {
        Object port = get(container, kind + ".httpGet.port");
        int number = port instanceof Integer n ? n : list(container, "ports").stream()
                .filter(p -> port.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " names the port " + port + ", not the container's"));
        return new Probe((String) get(container, kind + ".httpGet.path"), number);
    }

    Map<String, Object> container() throws IOException {
        List<Map<String, Object>> containers = list(map(kind("Deployment"), "spec.template.spec"), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    String configMapApplicationYaml() throws IOException {
        return (String) map(kind("ConfigMap"), "data").get("application.yaml");
    }

    static String volumeOfConfigMap(Map<String, Map<String, Object>> volumes, String configMap) {
        return volumes.entrySet().stream().filter(v -> configMap.equals(get(v.getValue(), "configMap.name")))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no volume of the ConfigMap " + configMap));
    }

    List<String> kustomizationResources() throws IOException {
        return (List<String>) (List<?>) yaml(KUBERNETES.resolve("kustomization.yaml")).get("resources");
    }

    /** The one document of this kind among deploy/kubernetes/*.yaml; every file must parse. */
    static Map<String, Object> kind(String kind) throws IOException {
        return yaml(file(kind));
    }

    static Path file(String kind) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var files = Files.list(KUBERNETES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    assertThat(doc).as(f + " is a YAML mapping").isInstanceOf(Map.class);
                    if (kind.equals(((Map<?, ?>) doc).get("kind"))) {
                        found.add(f);
                    }
                }
            }
        }
        assertThat(found).as("one " + kind + " in " + KUBERNETES).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    /** A dotted path into nested maps; Spring's flat keys ("a.b: x") are not used in these files. */
    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> root, String path) {
        Object at = root;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map)) {
                return null;
            }
            at = ((Map<String, Object>) at).get(part);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> root, String path) {
        Object m = get(root, path);
        assertThat(m).as(path).isInstanceOf(Map.class);
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> root, String path) {
        Object l = get(root, path);
        assertThat(l).as(path).isInstanceOf(List.class);
        return (List<Map<String, Object>>) l;
    }

    static String string(Map<String, Object> root, String path, String otherwise) {
        Object v = get(root, path);
        return v == null ? otherwise : v.toString();
    }

    static Map<String, String> unit(Path file) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                keys.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return keys;
    }

    static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    /** The Jib plugin's configuration in the image profile. */
    static Element jibConfiguration() throws Exception {
        NodeList plugins = pom().getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(p, "artifactId"))) {
                return (Element) p.getElementsByTagName("configuration").item(0);
            }
        }
        throw new AssertionError("no jib-maven-plugin in pom.xml");
    }

    static String text(Element in, String tag) {
        NodeList l = in.getElementsByTagName(tag);
        assertThat(l.getLength()).as("<" + tag + "> in pom.xml").isPositive();
        return l.item(0).getTextContent().trim();
    }
}
