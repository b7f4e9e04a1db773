package org.o365audit.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.o365audit.config.O365Properties;
import org.springframework.stereotype.Component;

/**
 * A sink's settings from o365.sinks.&lt;name&gt;. Secrets are read from here by the sink's beans (its
 * {@link SinkHttpClient}, the webhook signer) and never passed to a route template nor set as a message header, so
 * they never show in a route definition, an endpoint URI, a traced message, a log or JMX.
 */
@Component("sinkSettings")
public class SinkSettings {
    /** Keys that hold secrets: never route parameters. */
    public static final Set<String> SECRET_KEYS = Set.of("secret", "token", "authorization", "password",
            "trust-store-password",
            // kafka sinks (KafkaSinkClients)
            "sasl-jaas-config", "ssl-truststore-password", "ssl-keystore-password", "ssl-key-password",
            // s3 sinks (S3Clients)
            "secret-key",
            // sentinel sinks (SentinelTokens)
            "client-secret");

    private final O365Properties props;

    public SinkSettings(O365Properties props) {
        this.props = props;
    }

    public Map<String, Map<String, String>> all() {
        return props.getSinks();
    }

    /** The entries SinkRoutes starts: those with a type and not {@code enabled: false}. */
    public Set<String> enabled() {
        Set<String> names = new TreeSet<>();
        props.getSinks().forEach((name, cfg) -> {
            if (runs(cfg)) {
                names.add(name);
            }
        });
        return names;
    }

    /** An entry runs when it names a type and is not switched off with {@code enabled: false}. */
    public static boolean runs(Map<String, String> cfg) {
        return cfg.get("type") != null && !"false".equalsIgnoreCase(cfg.getOrDefault("enabled", "true"));
    }

    /** A secret of the sink, or null when not configured. */
    public String secret(String sink, String key) {
        Map<String, String> s = props.getSinks().get(sink);
        String v = s == null ? null : s.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * The text with every secret of the sink (and each longer word of one, such as the key of
     * {@code ApiKey <key>}) replaced by {@code ****}: for a destination's answer that echoes what it was sent.
     */
    public String redact(String sink, String text) {
        Map<String, String> s = props.getSinks().get(sink);
        if (text == null || s == null) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (!isSecret(e.getKey()) || e.getValue() == null || e.getValue().isBlank()) {
                continue;
            }
            out = out.replace(e.getValue(), "****");
            for (String word : e.getValue().split("\\s+")) {
                if (word.length() >= 8) {
                    out = out.replace(word, "****");
                }
            }
        }
        String userInfo = userInfo(s.get("url"));
        if (userInfo != null && !userInfo.isBlank()) {
            out = out.replace(userInfo, "****");
        }
        return out;
    }

    /** The decoded user:password of an http(s) URL, or null. */
    public static String userInfo(String url) {
        URI u = httpUri(url);
        return u == null ? null : u.getUserInfo();
    }

    /**
     * An http(s) URL without its user and password, as it may appear in a route: the sink's HTTP client sends
     * them as an Authorization header instead. Other URLs are returned as they are.
     */
    public static String withoutUserInfo(String url) {
        URI u = httpUri(url);
        if (u == null || u.getRawUserInfo() == null) {
            return url;
        }
        return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")
                + (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                + (u.getRawFragment() == null ? "" : "#" + u.getRawFragment());
    }

    private static URI httpUri(String url) {
        if (url == null || !url.regionMatches(true, 0, "http", 0, 4)) {
            return null;
        }
        try {
            URI u = new URI(url.trim());
            return "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()) ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
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
