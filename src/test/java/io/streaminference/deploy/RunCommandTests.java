package io.streaminference.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, {@code ./mvnw spring-boot:test-run}, starts the one main class of the test sources
 * ({@code LocalStack}); a second one makes the plugin refuse to choose and the command fail — as it once did. Other
 * launchers are pieces of {@code LocalStack} ({@code exec:java@…}).
 */
class RunCommandTests {

    @Test
    void theTestSourcesHaveOneMainClassForTestRunToStart() throws IOException {
        List<Path> mains;
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            mains = files.filter(f -> f.toString().endsWith(".java")).filter(RunCommandTests::hasMain).toList();
        }
        assertThat(mains).extracting(f -> f.getFileName().toString()).containsExactly("LocalStack.java");
    }

    private static boolean hasMain(Path file) {
        try {
            // Built at run time, so that this file does not count itself.
            return Files.readString(file).contains(String.join(" ", "static", "void", "main(String[]"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
