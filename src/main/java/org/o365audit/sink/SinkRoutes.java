package org.o365audit.sink;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Instantiates one sink route per entry of o365.sinks that has a type: the template {@code <type>-sink}
 * from routes/, with the entry's other keys as parameters. A configuration naming an unknown type, an
 * unknown key or leaving out a required one stops the start with a message naming the key.
 */
@Component
@Order(15)
public class SinkRoutes implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SinkRoutes.class);
    /** The template of the loop every sink runs (routes/sink-driver.camel.yaml). */
    static final String DRIVER = "sink-driver";
    /** The route configuration of every sink type's delivery route. */
    static final String DELIVERY_CONFIGURATION = "sink-delivery";

    private final SinkSettings settings;
    private final SinkMetrics metrics;

    private final CamelContext camel;

    public SinkRoutes(SinkSettings settings, SinkMetrics metrics, CamelContext camel) {
        this.settings = settings;
        this.metrics = metrics;
        this.camel = camel;
    }

    /**
     * Runs once Camel has started with the routes folder loaded. An ApplicationRunner, not a Camel start
     * listener: an error here must stop the application, not be logged and skipped.
     */
    @Override
    public void run(ApplicationArguments args) throws Exception {
        List<String> started = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : settings.all().entrySet()) {
            String name = e.getKey();
            Map<String, String> cfg = e.getValue();
            if (!SinkSettings.runs(cfg)) {
                continue;
            }
            String type = cfg.get("type");
            TemplatedRouteBuilder b = TemplatedRouteBuilder.builder(camel, template(camel, name, type))
                    .routeId(deliveryRouteId(name))
                    .parameter("name", name);
            Map<String, String> params = parameters(camel, name, type, cfg);
            params.forEach(b::parameter);
            if (type.equals("jdbc")) {
                camel.getRegistry().bind("sinkDataSource-" + name, dataSource(name, params));
            }
            b.add();
            started.add(name + " (" + type + ")");
        }
        // a driver for every delivery route: those above and those declared in route YAML (templatedRoute)
        for (String name : addDrivers(camel)) {
            metrics.register(name);
        }
        if (!started.isEmpty()) {
            LOG.info("sinks: {}", String.join(", ", started));
        }
    }

    /**
     * Adds the driver (template sink-driver, route id sink-<name>) of every sink delivery route that has none yet,
     * with the settings the delivery route was given or its type declares by default; returns their sinks' names.
     */
    public static List<String> addDrivers(CamelContext camel) throws Exception {
        ModelCamelContext model = (ModelCamelContext) camel;
        RouteTemplateDefinition driver = find(camel, DRIVER);
        List<String> added = new ArrayList<>();
        for (RouteDefinition delivery : List.copyOf(model.getRouteDefinitions())) {
            if (!DELIVERY_CONFIGURATION.equals(delivery.getRouteConfigurationId()) || !delivery.isCreatedFromTemplate()) {
                continue;
            }
            Map<String, Object> given = new java.util.HashMap<>();
            if (delivery.getTemplateDefaultParameters() != null) {
                given.putAll(delivery.getTemplateDefaultParameters());
            }
            if (delivery.getTemplateParameters() != null) {
                given.putAll(delivery.getTemplateParameters());
            }
            Object name = given.get("name");
            if (name == null) {
                continue;
            }
            String driverId = routeId(name.toString());
            if (driverId.equals(delivery.getRouteId())) {
                throw new IllegalStateException("route " + driverId + " (template " + delivery.getTemplateParameters()
                        .getOrDefault("templateId", "<type>-sink") + "): that id is the sink's driver's; leave routeId"
                        + " out or call it " + deliveryRouteId(name.toString()));
            }
            if (camel.getRoute(driverId) != null) {
                continue;
            }
            TemplatedRouteBuilder b = TemplatedRouteBuilder.builder(camel, DRIVER).routeId(driverId);
            for (RouteTemplateParameterDefinition p : driver.getTemplateParameters()) {
                Object v = given.get(p.getName());
                if (v != null) {
                    b.parameter(p.getName(), v.toString());
                }
            }
            b.add();
            added.add(name.toString());
        }
        return added;
    }

    /** The JDBC sink's own pool (url, username; the password from o365.sinks.<name>.password). */
    private DataSource dataSource(String name, Map<String, String> params) {
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("sink-" + name);
        ds.setJdbcUrl(params.get("url"));
        ds.setUsername(params.getOrDefault("username", ""));
        ds.setPassword(settings.secret(name, "password"));
        ds.setMaximumPoolSize(2);
        ds.setInitializationFailTimeout(-1);   // a target that is down at start is retried like any delivery
        if (ds.getJdbcUrl() != null && ds.getJdbcUrl().startsWith("jdbc:postgresql:")
                && !ds.getJdbcUrl().contains("reWriteBatchedInserts")) {
            // a batch of N single-row INSERTs goes as a few multi-row ones: one round of parse/plan per ~128 rows
            // instead of per row (the statement may say ON CONFLICT; the url can still set it to false)
            ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return ds;
    }

    /** The sink's driver route: the one status, metrics, JMX and Hawtio show for the sink. */
    public static String routeId(String sink) {
        return "sink-" + sink;
    }

    /** The sink type's delivery route, called by the driver with each kept batch. */
    public static String deliveryRouteId(String sink) {
        return "sink-" + sink + "-delivery";
    }

    /**
     * A sink's driver route, from o365.sinks or declared in route YAML: id {@code sink-<name>} under the sinks' error
     * handling (the delivery routes have none of their own).
     */
    public static boolean isSinkRoute(Route r) {
        return r.getRouteId().startsWith("sink-")
                && "sink-errors".equals(r.getProperties().get(Route.CONFIGURATION_ID_PROPERTY));
    }

    /** The sink a sink route delivers for. */
    public static String sinkName(Route r) {
        return r.getRouteId().substring("sink-".length());
    }

    public static String template(CamelContext camel, String name, String type) {
        String id = type + "-sink";
        if (find(camel, id) == null) {
            TreeSet<String> known = new TreeSet<>();
            ((ModelCamelContext) camel).getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId)
                    .filter(t -> t.endsWith("-sink")).forEach(t -> known.add(t.substring(0, t.length() - 5)));
            throw new IllegalStateException("o365.sinks." + name + ".type: unknown sink type '" + type + "' (known: "
                    + String.join(", ", known) + "; a type is a route template <type>-sink in routes/)");
        }
        return id;
    }

    /** The entry's keys as template parameters, checked against what the template declares. */
    public static Map<String, String> parameters(CamelContext camel, String name, String type, Map<String, String> cfg) {
        RouteTemplateDefinition t = find(camel, type + "-sink");
        TreeSet<String> declared = new TreeSet<>();
        for (RouteTemplateParameterDefinition p : t.getTemplateParameters()) {
            declared.add(p.getName());
        }
        // the settings every sink has (batchSize, filter …) are the driver's
        for (RouteTemplateParameterDefinition p : find(camel, DRIVER).getTemplateParameters()) {
            declared.add(p.getName());
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> kv : cfg.entrySet()) {
            String key = kv.getKey();
            if (key.equals("type") || key.equals("enabled") || SinkSettings.isSecret(key)) {
                continue;
            }
            String param = SinkSettings.parameterName(key);
            if (!declared.contains(param)) {
                throw new IllegalStateException("o365.sinks." + name + "." + key + ": not a setting of " + type
                        + " sinks (settings: " + declared.stream().filter(d -> !d.equals("name"))
                        .map(SinkRoutes::kebab).toList() + ")");
            }
            // user and password of an http(s) URL go as an Authorization header (SinkHttpClient), never into a route
            params.put(param, param.equals("url") ? SinkSettings.withoutUserInfo(kv.getValue()) : kv.getValue());
        }
        for (RouteTemplateParameterDefinition p : t.getTemplateParameters()) {
            boolean required = p.getDefaultValue() == null && p.isRequired();
            if (required && !p.getName().equals("name") && !params.containsKey(p.getName())) {
                throw new IllegalStateException("o365.sinks." + name + "." + kebab(p.getName()) + ": required for "
                        + type + " sinks (" + p.getDescription() + ")");
            }
        }
        return params;
    }

    private static RouteTemplateDefinition find(CamelContext camel, String id) {
        return ((ModelCamelContext) camel).getRouteTemplateDefinition(id);
    }

    static String kebab(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
