package io.streaminference.deploy;

import static io.streaminference.deploy.Yaml.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml cannot be started here (no Docker engine), so its wiring is checked against application.yml,
 * the config file it mounts and models/.
 */
class ComposeFileTests {

    private static final Path DOCKER = Path.of("docker");
    private static final Map<String, Object> COMPOSE = Yaml.load(DOCKER.resolve("compose.yaml"));
    private static final Map<String, Object> OVERRIDES = Yaml.load(DOCKER.resolve("application-compose.yml"));

    @Test
    void runsKafkaInKraftModeFromTheOfficialImage() {
        Map<String, Object> kafka = service("kafka");

        assertThat((String) kafka.get("image")).startsWith("apache/kafka:");
        assertThat((String) at(kafka, "environment.KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(COMPOSE.get("services").toString()).doesNotContainIgnoringCase("zookeeper");
    }

    @Test
    void appReachesKafkaRedisAndTheModelServerByServiceName() {
        String bootstrap = at(OVERRIDES, "spring.kafka.bootstrap-servers");
        URI modelServer = URI.create(at(OVERRIDES, "grpc.client.tf-serving.address"));

        assertThat((String) at(service("kafka"), "environment.KAFKA_ADVERTISED_LISTENERS"))
                .contains("PLAINTEXT://" + bootstrap);
        assertThat(services()).containsKey(bootstrap.split(":")[0]);
        assertThat(services()).containsKey(at(OVERRIDES, "spring.data.redis.host"));
        assertThat((Integer) at(OVERRIDES, "spring.data.redis.port")).isEqualTo(at(AppConfig.YAML, "spring.data.redis.port"));
        assertThat(modelServer.getScheme()).isEqualTo("static");
        assertThat(services()).containsKey(modelServer.getHost());
        assertThat((List<String>) at(service(modelServer.getHost()), "ports")).contains(modelServer.getPort() + ":8500");
    }

    @Test
    void servesBothModelsTheAppAsksForFromModels() throws Exception {
        Map<String, Object> tfServing = service("tf-serving");
        String[] mount = ((List<String>) tfServing.get("volumes")).get(0).split(":");
        Path source = DOCKER.resolve(mount[0]).normalize();
        String configFile = ((List<String>) tfServing.get("command")).stream()
                .filter(arg -> arg.startsWith("--model_config_file=")).findFirst().orElseThrow()
                .substring("--model_config_file=".length());
        assertThat(configFile).startsWith(mount[1] + "/");
        String config = Files.readString(source.resolve(configFile.substring(mount[1].length() + 1)));

        assertThat((String) tfServing.get("image")).startsWith("tensorflow/serving:");
        assertThat(source).isEqualTo(Path.of("models"));
        for (String model : List.of("events", "sessions")) {
            String name = at(AppConfig.YAML, "pipeline.inference.models." + model + ".name");
            assertThat(config).as(model).contains("name: \"" + name + "\"",
                    "base_path: \"" + mount[1] + "/" + name + "\"");
            assertThat(source.resolve(name).resolve("1").resolve("saved_model.pb")).isRegularFile();
        }
    }

    @Test
    void mountsItsConfigWhereTheImageReadsItAndSetsOnlyRealKeys() throws Exception {
        Map<String, Object> app = service("app");
        Set<String> overridden = new TreeSet<>();
        AppConfig.collect("", OVERRIDES, overridden);

        assertThat((List<String>) app.get("volumes")).contains("./application-compose.yml:/config/application.yml:ro");
        assertThat(Files.readString(DOCKER.resolve("Dockerfile"))).contains("SPRING_CONFIG_ADDITIONAL_LOCATION=optional:file:/config/");
        assertThat(AppConfig.keys()).containsAll(overridden);
    }

    @Test
    void environmentKeysBindToPropertiesOfTheApp() {
        Set<String> bindable = new TreeSet<>();
        AppConfig.keys().forEach(key -> bindable.add(AppConfig.environmentName(key)));
        Map<String, Object> environment = at(service("app"), "environment");

        assertThat(bindable).containsAll(environment.keySet());
        assertThat((String) environment.get("PIPELINE_KAFKA_DELIVERY")).isIn("exactly-once", "at-least-once");
    }

    @Test
    void publishesTheAppPortAndFeedsTheEventsTopic() throws Exception {
        Map<String, Object> generator = service("generator");
        List<String> command = at(generator, "command");

        assertThat((List<String>) at(service("app"), "ports"))
                .contains(at(AppConfig.YAML, "server.port") + ":" + at(AppConfig.YAML, "server.port"));
        assertThat(generator.get("image")).isEqualTo(at(service("app"), "image"));
        assertThat(command.get(command.indexOf("--topic") + 1)).isEqualTo(at(AppConfig.YAML, "pipeline.topics.events"));
        assertThat(command.get(command.indexOf("--bootstrap-servers") + 1))
                .isEqualTo(at(OVERRIDES, "spring.kafka.bootstrap-servers"));
        List<String> entrypoint = at(generator, "entrypoint");
        assertThat(Class.forName(entrypoint.get(entrypoint.size() - 1)).getMethod("main", String[].class)).isNotNull();
    }

    private static Map<String, Object> services() {
        return at(COMPOSE, "services");
    }

    private static Map<String, Object> service(String name) {
        return at(COMPOSE, "services." + name);
    }
}
