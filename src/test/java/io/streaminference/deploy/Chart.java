package io.streaminference.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Helm chart under helm/stream-inference, linted and rendered with Helm's own code (helm-java). */
final class Chart {

    static final Path DIRECTORY = Path.of("helm", "stream-inference");
    static final String RELEASE = "demo";
    static final String NAMESPACE = "pipelines";
    // helm template assumes Kubernetes 1.20 unless told; the chart needs 1.25 (Pod Security admission, policy/v1).
    static final String KUBE_VERSION = "1.30.0";

    private Chart() {
    }

    static Path ciValues(String name) {
        return DIRECTORY.resolve("ci").resolve(name);
    }

    /**
     * helm lint --strict with the chart's values overlaid by {@code valuesFile}: helm-java's lint takes no values,
     * so a copy of the chart gets the merged values.yaml.
     */
    static LintResult lintStrict(Path valuesFile, Path workDirectory) {
        Path copy = copy(workDirectory.resolve("stream-inference"));
        Map<String, Object> merged = Yaml.merge(Yaml.load(DIRECTORY.resolve("values.yaml")), Yaml.load(valuesFile));
        write(copy.resolve("values.yaml"), Yaml.dump(merged));
        return new Helm(copy).lint().strict().call();
    }

    static List<Map<String, Object>> render(Path valuesFile, Map<String, Object> set) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        // helm-java's template runs lookup against a cluster and fails without one (helm template sees an empty Secret).
        template.set("secretChecksum.lookup", false);
        set.forEach(template::set);
        return Yaml.loadAll(template.call());
    }

    static Map<String, Object> find(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " rendered"));
    }

    private static Path copy(Path target) {
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(DIRECTORY.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
