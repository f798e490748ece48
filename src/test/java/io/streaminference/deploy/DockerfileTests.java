package io.streaminference.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile cannot be built here (no Docker engine); these checks tie it to pom.xml and application.yml. */
class DockerfileTests {

    private static final List<String> LINES = read(Path.of("docker", "Dockerfile"));

    @Test
    void buildsWithTheWrapperOnTheProjectsJavaAndRunsOnAJre() {
        List<String> stages = LINES.stream().filter(line -> line.startsWith("FROM ")).toList();
        String javaVersion = pomProperty("java.version");

        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).isEqualTo("FROM eclipse-temurin:" + javaVersion + "-jdk AS build");
        assertThat(stages.get(1)).isEqualTo("FROM eclipse-temurin:" + javaVersion + "-jre");
        assertThat(String.join("\n", LINES)).contains("./mvnw -B").contains("-Djarmode=tools")
                .contains("extract --layers --launcher");
    }

    @Test
    void packagesTheJarThisPomBuilds() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher artifact = Pattern.compile("</parent>\\s*<groupId>[^<]+</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                .matcher(pom);

        assertThat(artifact.find()).isTrue();
        assertThat(String.join("\n", LINES)).contains("target/" + artifact.group(1) + "-*.jar");
    }

    @Test
    void copiesOnlySourcesThatExist() {
        LINES.stream().filter(line -> line.startsWith("COPY ") && !line.contains("--from")).forEach(line -> {
            String[] parts = line.substring("COPY ".length()).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(Path.of(parts[i])).as(line).exists();
            }
        });
    }

    @Test
    void runsAsANonRootUserOnTheAppsPort() {
        String user = LINES.stream().filter(line -> line.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        String expose = LINES.stream().filter(line -> line.startsWith("EXPOSE ")).findFirst().orElseThrow();

        assertThat(Integer.parseInt(user.substring(5).split(":")[0])).isPositive();
        assertThat(expose).isEqualTo("EXPOSE " + Yaml.<Integer>at(AppConfig.YAML, "server.port"));
        assertThat(String.join("\n", LINES)).contains("org.springframework.boot.loader.launch.JarLauncher");
    }

    private static String pomProperty(String name) {
        try {
            Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
                    Files.readString(Path.of("pom.xml")));
            assertThat(matcher.find()).as(name).isTrue();
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
