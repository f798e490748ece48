package io.streaminference.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The top-level application.yml as the deployment files see it: dotted keys and their environment variable names. */
final class AppConfig {

    static final Map<String, Object> YAML = Yaml.load(Path.of("application.yml"));

    private AppConfig() {
    }

    /** Every leaf key of application.yml, dotted ({@code spring.kafka.bootstrap-servers}). */
    static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        collect("", YAML, keys);
        return keys;
    }

    /** The environment variable Spring's relaxed binding maps to {@code key}: dots to underscores, no dashes. */
    static String environmentName(String key) {
        return key.replace('.', '_').replace("-", "").toUpperCase();
    }

    @SuppressWarnings("unchecked")
    static void collect(String prefix, Map<String, Object> node, Set<String> keys) {
        node.forEach((name, value) -> {
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            if (value instanceof Map<?, ?> child) {
                collect(key, (Map<String, Object>) child, keys);
            } else {
                keys.add(key);
            }
        });
    }
}
