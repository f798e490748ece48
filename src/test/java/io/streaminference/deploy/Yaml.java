package io.streaminference.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the YAML the deployment files are made of into plain maps, and walks them by dotted paths. */
final class Yaml {

    private Yaml() {
    }

    static Map<String, Object> load(Path file) {
        try {
            return load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String text) {
        Object loaded = parser().load(text);
        return loaded == null ? new LinkedHashMap<>() : (Map<String, Object>) loaded;
    }

    /** Every non-empty document of a multi-document stream (helm template's output). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : parser().loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static String dump(Map<String, Object> values) {
        return parser().dump(values);
    }

    /** The value at a dotted path ({@code spec.template.spec}); list elements by index ({@code containers.0}). */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String path) {
        Object current = node;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else if (current instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
                current = list.get(Integer.parseInt(part));
            } else {
                throw new IllegalArgumentException("No '" + part + "' in " + path + " of " + node);
            }
            Objects.requireNonNull(current, () -> "Missing " + path);
        }
        return (T) current;
    }

    /** Values overlaid on defaults, maps merged key by key as Helm merges values files. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> overrideMap && merged.get(key) instanceof Map<?, ?> defaultMap) {
                merged.put(key, merge((Map<String, Object>) defaultMap, (Map<String, Object>) overrideMap));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static org.yaml.snakeyaml.Yaml parser() {
        return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
    }
}
