package org.o365audit.sink;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.o365audit.config.O365Properties;
import org.springframework.stereotype.Component;

/**
 * A sink's settings from o365.sinks.&lt;name&gt;. Secrets are read from here by the sink's bean at send time
 * and never passed to a route template, so they never show in a route definition, a log or JMX.
 */
@Component("sinkSettings")
public class SinkSettings {
    /** Keys that hold secrets: never route parameters. */
    public static final Set<String> SECRET_KEYS = Set.of("secret", "token", "authorization", "password",
            "trust-store-password");

    private final O365Properties props;

    public SinkSettings(O365Properties props) {
        this.props = props;
    }

    public Map<String, Map<String, String>> all() {
        return props.getSinks();
    }

    /** A secret of the sink, or null when not configured. */
    public String secret(String sink, String key) {
        Map<String, String> s = props.getSinks().get(sink);
        String v = s == null ? null : s.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    public static boolean isSecret(String key) {
        return SECRET_KEYS.contains(key.toLowerCase(Locale.ROOT));
    }

    /** batch-size → batchSize: config keys are kebab-case, template parameters camelCase. */
    public static String parameterName(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
