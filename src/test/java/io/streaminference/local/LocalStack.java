package io.streaminference.local;

import io.streaminference.StreamInferenceApplication;
import io.streaminference.bench.Bench;
import io.streaminference.demo.EventGenerator;
import io.streaminference.demo.GeneratorOptions;
import io.streaminference.sessions.SessionsProperties;
import io.streaminference.sink.RedisStoreBench;
import io.streaminference.topics.TopicsProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import io.streaminference.testing.TestRedis;

/**
 * The whole pipeline on one laptop in one JVM, no Docker: a KRaft broker, redis-server, the TensorFlow-backed model
 * server, the app and demo traffic ({@code ./mvnw spring-boot:test-run}). With a first argument it runs one piece
 * alone, as the {@code exec:java@…} launchers do: {@code kafka}, {@code redis}, {@code model-server},
 * {@code train-model} to retrain the demo model, {@code retrain-model} to train the next version from exported
 * training data ({@link ModelRetrainer}), {@code verify} to judge a chaos run ({@code chaos/run.sh}), or {@code redis-store} for the store's own benchmark
 * ({@code bench/redis-store.sh}). Options are {@code --local.<name>=<value>}; everything else is
 * passed to the app.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String SESSION_GAP = "30s";
    static final String LIFECYCLE_MODELS = "target/local/lifecycle-models";

    private final Map<String, String> options;
    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
    private ConfigurableApplicationContext context;

    private LocalStack(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        String piece = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
        List<String> appArgs = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--local.") && arg.contains("=")) {
                options.put(arg.substring(8, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--")) {
                appArgs.add(arg);
            }
        }
        LocalStack stack = new LocalStack(options);
        try {
            switch (piece) {
                case "all" -> {
                    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-shutdown"));
                    stack.all(appArgs);
                }
                case "kafka" -> stack.alone(stack.kafka(), "Kafka broker on 127.0.0.1:" + stack.port("kafka-port", 9092)
                        + " (KRaft, data in " + stack.kafkaData() + ")");
                case "redis" -> stack.alone(stack.redis(), "Redis on 127.0.0.1:" + stack.port("redis-port", 6379));
                case "model-server" -> stack.alone(stack.modelServer(), "Model server on 127.0.0.1:"
                        + stack.port("model-port", 8500) + " serving " + stack.modelBase().toAbsolutePath());
                case "train-model" -> System.out.println(DemoModelTrainer.trainAndExport(stack.modelBase(),
                        Long.parseLong(options.getOrDefault("model-version", "1"))));
                case "retrain-model" -> System.out.println(ModelRetrainer.retrain(
                        Path.of(options.getOrDefault("data", "target/training-data")), stack.modelBase(),
                        options.getOrDefault("model", DemoModelTrainer.EVENT_MODEL),
                        options.containsKey("served-version") ? Long.valueOf(options.get("served-version")) : null));
                case "verify" -> System.exit(ChaosVerifier.run(options));
                case "bench" -> System.exit(Bench.run(args.length > 1 ? args[1] : "", options));
                case "redis-store" -> RedisStoreBench.run(Integer.parseInt(options.get("redis-port")),
                        Integer.parseInt(options.getOrDefault("count", "9000000")));
                default -> throw new IllegalArgumentException("unknown piece '" + piece + "'; use all, kafka, redis, "
                        + "model-server, train-model, retrain-model, verify, bench or redis-store");
            }
        } catch (PortInUseException e) {
            System.err.println(e.getMessage());
            stack.close();
            System.exit(1);
        }
    }

    /** Starts the whole stack as the run command does; {@link #close()} stops it. For tests. */
    public static LocalStack start(Map<String, String> options, List<String> appArgs) throws Exception {
        LocalStack stack = new LocalStack(new LinkedHashMap<>(options));
        try {
            stack.all(appArgs);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The running app, once {@link #start} has returned. */
    public ConfigurableApplicationContext application() {
        return context;
    }

    private void all(List<String> appArgs) throws Exception {
        int serverPort = port("server-port", 8080);
        for (String arg : appArgs) {
            if (arg.startsWith("--server.port=")) {
                serverPort = Integer.parseInt(arg.substring("--server.port=".length()));
            }
        }
        ensureFree(serverPort, "the pipeline's HTTP server", "--server.port");
        int managementPort = port("management-port", 8081);
        ensureFree(managementPort, "the pipeline's management server", "--local.management-port");
        if (lifecycle()) {
            lifecycleModels();
        }
        kafka();
        redis();
        modelServer();

        // The stack's wiring first; an argument the user gives for the same key replaces it.
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + port("kafka-port", 9092));
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", Integer.toString(port("redis-port", 6379)));
        properties.put("grpc.client.tf-serving.address", "static://127.0.0.1:" + port("model-port", 8500));
        properties.put("server.port", Integer.toString(serverPort));
        properties.put("management.server.port", Integer.toString(managementPort));
        // Sessions that end within a minute of the start, so the demo shows session predictions at once (the default
        // gap is 30 minutes), and early scores of long sessions.
        properties.put("pipeline.sessions.inactivity-gap", SESSION_GAP);
        properties.put("pipeline.sessions.grace", "5s");
        properties.put("pipeline.sessions.emit-every", "20");
        // The generator publishes labels: evaluate each model version online.
        properties.put("pipeline.evaluation.enabled", "true");
        properties.put("spring.kafka.streams.state-dir", sessionsState().toString());
        if (lifecycle()) {
            // The model lifecycle walkthrough (README): the event stage pinned to the label stable, a fifth of the
            // users on canary, every event also scored by shadow — each label moved by a reload, never a restart.
            properties.put("pipeline.inference.models.events.version-label", "stable");
            properties.put("pipeline.inference.models.events.canary.label", "canary");
            properties.put("pipeline.inference.models.events.canary.share", "0.2");
            properties.put("pipeline.inference.models.events.shadow-label", "shadow");
            // A shadow doubles a poll's worst-case Predict calls: 250 × 2 × 200 ms stays inside the poll interval.
            properties.put("spring.kafka.consumer.max-poll-records", "250");
        }
        List<String> args = new ArrayList<>();
        for (String arg : appArgs) {
            int equals = arg.indexOf('=');
            if (equals > 2) {
                properties.remove(arg.substring(2, equals));
            }
            args.add(arg);
        }
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        SpringApplication application = new SpringApplication(StreamInferenceApplication.class);
        // One ordered shutdown (generator, app, model server, Redis, broker) instead of Spring's own hook.
        application.setRegisterShutdownHook(false);
        context = application.run(args.toArray(String[]::new));
        running.push(context);

        double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
        String events = context.getBean(TopicsProperties.class).events();
        if (rate > 0) {
            // Labels for a fifth of the events and sessions, 30 s late, for the online evaluation per model version.
            SessionsProperties sessions = context.getBean(SessionsProperties.class);
            List<String> generatorArgs = new ArrayList<>(List.of("--bootstrap-servers",
                    "127.0.0.1:" + port("kafka-port", 9092), "--topic", events, "--rate", Double.toString(rate),
                    "--labels-topic", context.getBean(TopicsProperties.class).labels(), "--session-close-ms",
                    Long.toString(sessions.inactivityGap().plus(sessions.grace()).toMillis())));
            if (options.containsKey("drift-at")) {
                // The model lifecycle walkthrough: the bots change this long after the start (README).
                generatorArgs.addAll(List.of("--drift-at", options.get("drift-at")));
            }
            GeneratorOptions generatorOptions = GeneratorOptions.parse(generatorArgs.toArray(String[]::new));
            EventGenerator generator = new EventGenerator(generatorOptions);
            Thread thread = new Thread(generator, "demo-generator");
            thread.setDaemon(true);
            thread.start();
            running.push(generator::stop);
        }
        log.info(banner(serverPort, managementPort, events, rate));
    }

    private String banner(int serverPort, int managementPort, String events, double rate) {
        String kafka = "127.0.0.1:" + port("kafka-port", 9092);
        String api = "http://127.0.0.1:" + serverPort;
        return String.join(System.lineSeparator(), "",
                "==================================================================================",
                " stream-inference local stack is up",
                "   Dashboard      " + api + "/   (live view, an event's journey, dead letters, models)",
                "   Kafka (KRaft)  " + kafka + "   data in " + kafkaData(),
                "   Redis          127.0.0.1:" + port("redis-port", 6379),
                "   Model server   127.0.0.1:" + port("model-port", 8500) + "   serving " + modelBase().toAbsolutePath(),
                "   Pipeline       " + api + "   API docs " + api + "/v3/api-docs   (the API is open: the local demo)",
                "   Management     http://127.0.0.1:" + managementPort + "/actuator   health, metrics; operator "
                        + "'operator' / 'local-operator' (src/test/resources/local-demo.yml)",
                "   Generator      " + (rate > 0 ? String.format("%.0f events/s into %s, 0.5%% malformed", rate, events)
                        : "off (--local.rate=0)"),
                "   Lifecycle      " + (lifecycle() ? "bots drift " + options.get("drift-at") + " after the start; "
                        + "event model pinned to label stable (canary 20%, shadow) in " + modelBase()
                        + "; README, Model lifecycle" : "off (--local.drift-at=PT5M runs the walkthrough)"),
                "   Sessions       end after " + SESSION_GAP + " without an event here (default 30m); early scores every"
                        + " 20 events; state in " + sessionsState(),
                " Try:",
                "   echo '{\"event_id\":\"hello-1\",\"user_id\":\"me\",\"timestamp\":" + System.currentTimeMillis()
                        + ",\"path\":\"/.env\",\"status\":404,\"user_agent\":\"curl/8.5\"}' | kcat -P -b " + kafka + " -t "
                        + events + " -k me",
                "   curl -s " + api + "/api/v1/predictions/hello-1",
                "   curl -s '" + api + "/api/v1/entities/me/predictions?limit=5'",
                "   curl -s '" + api + "/api/v1/entities/me/sessions'      (" + SESSION_GAP
                        + " and 5s grace after its last event)",
                "   kcat -C -b " + kafka + " -t " + events + "-dlt -e -f 'headers: %h%nvalue: %s%n%n'",
                " Ctrl-C stops everything.",
                "==================================================================================");
    }

    private LocalKafka kafka() throws Exception {
        int port = port("kafka-port", 9092);
        int controllerPort = port("kafka-controller-port", port + 1);
        ensureFree(port, "Kafka", "--local.kafka-port");
        ensureFree(controllerPort, "the Kafka controller", "--local.kafka-controller-port");
        LocalKafka kafka = LocalKafka.start(port, controllerPort, kafkaData());
        running.push(kafka);
        return kafka;
    }

    private TestRedis redis() {
        int port = port("redis-port", 6379);
        ensureFree(port, "Redis", "--local.redis-port");
        // With --local.redis-data Redis keeps an append-only file there, so a restarted Redis has its data back.
        String data = options.get("redis-data");
        TestRedis redis = TestRedis.start(port, data == null ? null : Path.of(data));
        running.push(redis);
        return redis;
    }

    private LocalModelServer modelServer() throws IOException {
        int port = port("model-port", 8500);
        ensureFree(port, "the model server", "--local.model-port");
        LocalModelServer server = LocalModelServer.start(modelBase(), port, Duration.ofSeconds(2));
        running.push(server);
        return server;
    }

    /** Runs one piece until the process is stopped. */
    private void alone(AutoCloseable piece, String description) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        log.info("{} is up; Ctrl-C stops it.", description);
        stopped.await();
    }

    /** Stops what was started, newest first: generator, app, model server, Redis, broker. */
    @Override
    public void close() {
        AutoCloseable piece;
        while ((piece = running.poll()) != null) {
            try {
                piece.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", piece, e.toString());
            }
        }
    }

    private Path kafkaData() {
        return Path.of(options.getOrDefault("kafka-data", "target/local/kafka"));
    }

    /** Next to the broker's data: the two belong together (a new broker's state would be wiped and restored). */
    private Path sessionsState() {
        return kafkaData().toAbsolutePath().resolveSibling(kafkaData().getFileName() + "-sessions-state");
    }

    /**
     * The walkthrough retrains into its own copy of the models, so the committed ones stay as they are.
     */
    private Path modelBase() {
        return Path.of(options.getOrDefault("model-base-path", lifecycle() ? LIFECYCLE_MODELS : "models"));
    }

    /** With {@code --local.drift-at} the stack runs the model lifecycle walkthrough. */
    private boolean lifecycle() {
        return options.containsKey("drift-at");
    }

    /**
     * Version 1 of each committed model, the event model's labels {@code stable} and {@code canary} on it; kept when
     * it exists, so a restarted walkthrough keeps its retrained versions.
     */
    private void lifecycleModels() throws IOException {
        Path base = modelBase();
        if (Files.isDirectory(base)) {
            return;
        }
        for (String model : List.of(DemoModelTrainer.EVENT_MODEL, DemoModelTrainer.SESSION_MODEL)) {
            ModelFiles.copy(Path.of("models", model, "1"), base.resolve(model).resolve("1"));
        }
        Files.writeString(base.resolve(DemoModelTrainer.EVENT_MODEL).resolve("labels.properties"),
                "stable=1\ncanary=1\n");
    }

    private int port(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private static void ensureFree(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new PortInUseException("Port " + port + " for " + what + " is already in use; pick another with "
                    + option + "=<port>");
        }
    }

    private static final class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
