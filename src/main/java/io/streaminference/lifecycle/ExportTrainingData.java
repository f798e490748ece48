package io.streaminference.lifecycle;

import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The training-data command: {@code ./mvnw exec:java@export-training-data -Dexec.args="--from PT1H"} writes the
 * labelled events and sessions of the last hour to {@code target/training-data/} ({@link TrainingExport}). Topic
 * names and labels come from the app's own configuration ({@code application.yml}, overridable by environment
 * variables as for the app).
 */
public final class ExportTrainingData {

    static final String USAGE = """
            usage: export-training-data [--bootstrap-servers 127.0.0.1:9092] [--from PT1H] [--to now]
                                        [--out target/training-data]
              --from   start of the range: an ISO-8601 instant (2026-11-27T10:00:00Z) or a duration before now (PT1H)
              --to     end of the range (exclusive), the same way; default now
              --out    directory for events.tfrecord and sessions.tfrecord""";

    private ExportTrainingData() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options;
        Instant from;
        Instant to;
        try {
            options = options(args);
            Instant now = Instant.now();
            from = instant(options.getOrDefault("from", "PT1H"), now);
            to = instant(options.getOrDefault("to", "PT0S"), now);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Binder config = configuration();
        TopicsProperties topics = config.bind("pipeline.topics", TopicsProperties.class).get();
        List<String> eventLabels = config.bind("pipeline.inference.models.events.labels", Bindable.listOf(String.class))
                .get();
        List<String> sessionLabels = config.bind("pipeline.inference.models.sessions.labels",
                Bindable.listOf(String.class)).get();
        TrainingExport export = new TrainingExport(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.getOrDefault("bootstrap-servers", "127.0.0.1:9092")), new TrainingExport.Settings(
                topics.features(), topics.sessions(), topics.labels(), eventLabels.get(1), sessionLabels.get(1)));
        Path out = Path.of(options.getOrDefault("out", "target/training-data"));
        TrainingExport.Result result = export.export(from, to, out);
        System.out.printf("export: %s to %s: %,d labelled events of %,d, %,d labelled sessions of %,d (%,d labels "
                        + "read) -> %s%n", from, to, result.events(), result.eventsRead(), result.sessions(),
                result.sessionsRead(), result.labels(), out.toAbsolutePath());
    }

    static Instant instant(String value, Instant now) {
        try {
            return value.startsWith("P") ? now.minus(Duration.parse(value)) : Instant.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is neither an ISO-8601 instant nor a duration");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    /** application.yml as the app reads it: environment variables and system properties first. */
    private static Binder configuration() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.get(environment));
    }
}
