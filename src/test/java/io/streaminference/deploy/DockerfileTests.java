package io.streaminference.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.deploy.Dockerfile.Instruction;
import io.streaminference.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile cannot be built here (no Docker engine); these checks read it as Docker does and tie what it
 * does to pom.xml and application.yml.
 */
class DockerfileTests {

    private static final List<Stage> STAGES = Dockerfile.stages(Path.of("docker", "Dockerfile"));

    @Test
    void buildsWithTheWrapperOnTheProjectsJdkAndRunsOnAJreOfTheSameVersion() {
        String javaVersion = pomProperty("java.version");
        assertThat(STAGES).hasSize(2);
        Stage build = STAGES.get(0);
        Stage runtime = STAGES.get(1);

        assertThat(build.image()).isEqualTo("eclipse-temurin");
        assertThat(build.tag()).isEqualTo(javaVersion + "-jdk");
        assertThat(build.text("RUN")).contains("./mvnw", " package").contains("-Djarmode=tools")
                .contains("extract --layers --launcher");
        assertThat(runtime.image()).isEqualTo("eclipse-temurin");
        assertThat(runtime.tag()).isEqualTo(javaVersion + "-jre");
        assertThat(runtime.all("COPY")).isNotEmpty().allSatisfy(copy -> assertThat(copy.arguments())
                .startsWith("--from=" + build.name() + " "));
    }

    @Test
    void packagesTheJarThisPomBuilds() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher artifact = Pattern.compile("</parent>\\s*<groupId>[^<]+</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                .matcher(pom);

        assertThat(artifact.find()).isTrue();
        assertThat(STAGES.get(0).text("RUN")).contains("target/" + artifact.group(1) + "-*.jar");
    }

    @Test
    void copiesOnlySourcesThatExist() {
        for (Instruction copy : STAGES.get(0).all("COPY")) {
            List<String> words = copy.words();
            for (String source : words.subList(0, words.size() - 1)) {
                assertThat(Path.of(source)).as(copy.arguments()).exists();
            }
        }
    }

    @Test
    void runsTheLayeredJarAsANonRootUserOnTheAppsPort() {
        Stage runtime = STAGES.get(1);
        List<Instruction> users = runtime.all("USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).words().get(0).split(":")[0];
        assertThat(Integer.parseInt(user)).as("numeric uid, so runAsNonRoot can verify it").isPositive();

        assertThat(runtime.all("EXPOSE")).flatMap(Instruction::words)
                .contains(String.valueOf(Yaml.<Integer>at(AppConfig.YAML, "server.port")),
                        String.valueOf(Yaml.<Integer>at(AppConfig.YAML, "management.server.port")));
        assertThat(runtime.all("ENTRYPOINT")).singleElement().satisfies(entry -> assertThat(entry.arguments())
                .startsWith("[").contains("\"org.springframework.boot.loader.launch.JarLauncher\""));
    }

    @Test
    void readsInstructionsAsDockerDoes() {
        List<Instruction> parsed = Dockerfile.instructions("""
                # syntax=docker/dockerfile:1
                FROM a:1 AS build
                # a comment
                RUN one \\
                  # inside
                  two
                env A=b
                """);
        assertThat(parsed).containsExactly(new Instruction("FROM", "a:1 AS build"), new Instruction("RUN", "one two"),
                new Instruction("ENV", "A=b"));
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
}
