package io.streaminference.bench;

import io.streaminference.inference.SeedStyleBaseline;
import io.streaminference.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The benchmark harness's steps, run by bench/run.sh through {@code LocalStack bench <step>} (the test classpath
 * has one main class). Each step appends {@code <scenario>.<key>=<value>} lines to the results file; {@code report}
 * turns them into the chart, the markdown table and the one-line summary.
 */
public final class Bench {

    /** Seed of the timed events, so they are not replays of the warm-up's (seed 42, the preload default). */
    private static final long MEASURED_SEED = 43;

    private final Map<String, String> options;

    /**
     * Each open-loop phase sends events of its own, as a live stream would: with one seed for all, every phase after
     * the first only overwrote the predictions (and Redis keys) of the phases before it.
     */
    private static long loadSeed(String scenario) {
        return 4242 + scenario.hashCode();
    }

    private Bench(Map<String, String> options) {
        this.options = options;
    }

    public static int run(String step, Map<String, String> options) throws Exception {
        Bench bench = new Bench(options);
        switch (step) {
            case "preload" -> bench.preload();
            case "flush-redis" -> bench.flushRedis();
            case "relay" -> bench.relay();
            case "relay-load" -> bench.relayLoad();
            case "drain" -> bench.drain();
            case "seed" -> bench.seed();
            case "load" -> bench.load();
            case "settle" -> bench.settle();
            case "report" -> {
                return BenchReport.write(Path.of(bench.option("results")), Path.of(bench.option("docs")),
                        bench.option("mode"));
            }
            default -> throw new IllegalArgumentException("unknown bench step '" + step
                    + "'; use preload, flush-redis, relay, relay-load, drain, seed, load, settle or report");
        }
        return 0;
    }

    private void preload() throws Exception {
        String topic = option("topic");
        Preload.createTopics(bootstrap(), partitions(), topic);
        double seconds = Preload.load(bootstrap(), topic, events(), Long.parseLong(options.getOrDefault("seed", "42")));
        System.out.printf("preloaded %d events to %s in %.1f s%n", events(), topic, seconds);
    }

    /**
     * Empties Redis before a timed scenario, so that each starts from the same state: the relay and the drains run
     * one after another against one Redis, and the exactly-once drain ran last, on the 3 million keys the two before
     * had left. A larger keyspace makes every write dearer here (a raw-RESP client measured the sink's script at 10
     * µs of Redis CPU per prediction on an empty server and 19 µs on one holding 4 million keys).
     */
    private void flushRedis() {
        LettuceConnectionFactory redis = TestRedis.connect(redisPort());
        try (RedisConnection connection = redis.getConnection()) {
            connection.serverCommands().flushAll();
        } finally {
            redis.destroy();
        }
    }

    private void relay() throws Exception {
        String[] topics = {"relay-s0", "relay-s1", "relay-s2"};
        Preload.createTopics(bootstrap(), partitions(), topics);
        Preload.load(bootstrap(), topics[0], warmup(), 42);
        LettuceConnectionFactory redis = TestRedis.connect(redisPort());
        try {
            AtomicReference<MachineCpu> cpu = new AtomicReference<>();
            double rate = nullRelay(null).run(topics, warmup(), events(), () -> {
                long start = Preload.loadAtOnce(bootstrap(), topics[0], events(), MEASURED_SEED);
                cpu.set(startCpu());
                return start;
            }, redis, Duration.ofMinutes(20));
            Map<String, String> result = new LinkedHashMap<>();
            result.put("delivery", relayDelivery());
            result.put("events_per_s", Drain.format(rate));
            result.putAll(cpu.get().since().results(events(), events() / rate));
            record("relay", result);
        } finally {
            redis.destroy();
        }
    }

    private void relayLoad() throws Exception {
        String prefix = option("scenario");
        String[] topics = {prefix + "-s0", prefix + "-s1", prefix + "-s2"};
        Preload.createTopics(bootstrap(), partitions(), topics);
        LettuceConnectionFactory redis = TestRedis.connect(redisPort());
        try {
            LatencyRecorder latency = new LatencyRecorder();
            record(prefix, RelayLoad.run(bootstrap(), topics, nullRelay(latency), latency, redis, warmup(),
                    Double.parseDouble(option("rate")), Integer.parseInt(option("seconds")), 4242));
        } finally {
            redis.destroy();
        }
    }

    /** The app's own delivery mode, poll size and consumers per stage (application.yml), unless the run overrides them. */
    private NullRelay nullRelay(LatencyRecorder latency) {
        return new NullRelay(bootstrap(), relayDelivery().equals("exactly-once"),
                Integer.parseInt(options.getOrDefault("max-poll-records", "500")),
                Integer.parseInt(options.getOrDefault("concurrency", "3")), latency);
    }

    /** exactly-once unless bench/run.sh passes the app's at-least-once on. */
    private String relayDelivery() {
        return "at-least-once".equals(options.get("delivery")) ? "at-least-once" : "exactly-once";
    }

    private void drain() throws Exception {
        record(option("scenario"), Drain.run(appPort(), Long.parseLong(option("app-pid")), stackPids(), warmup(), events(),
                () -> Preload.loadAtOnce(bootstrap(), option("topic"), events(), MEASURED_SEED), Duration.ofMinutes(30),
                options.get("jfr"), options.get("sessions-app-id")));
    }

    private void seed() throws Exception {
        LettuceConnectionFactory redis = TestRedis.connect(redisPort());
        try {
            Preload.createTopics(bootstrap(), partitions(), "seed-s0", "seed-s2");
            Preload.load(bootstrap(), "seed-s0", events(), 42);
            record("seed", SeedStyleBaseline.run(bootstrap(), "seed-s0", "seed-s2",
                    Integer.parseInt(option("model-port")), new StringRedisTemplate(redis), events(),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "180")))));
        } finally {
            redis.destroy();
        }
    }

    private void load() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            ConsumerLag lag = stageLag(admin);
            long phaseStart = System.currentTimeMillis();
            record(option("scenario"), OpenLoad.run(bootstrap(), option("topic"), appPort(),
                    Double.parseDouble(option("rate")), Integer.parseInt(option("seconds")), lag,
                    loadSeed(option("scenario"))));
            record(option("scenario"), HopLatency.sample(bootstrap(), option("predictions-topic"), phaseStart,
                    Path.of(option("run-dir")).resolve(option("scenario") + "-hops.tsv")));
        }
    }

    /**
     * Waits, up to {@code --local.seconds}, until the app's stages have caught up (less than a second's events of
     * {@code --local.rate} behind): in an A/B whose phases alternate between two apps, an app that fell behind in its
     * phase would otherwise still be draining, and taking CPU, in the other app's next phase.
     */
    private void settle() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            ConsumerLag lag = stageLag(admin);
            long start = System.nanoTime();
            long behind = lag.awaitAtMost((long) Double.parseDouble(option("rate")),
                    Duration.ofSeconds(Long.parseLong(option("seconds"))));
            System.out.printf("%s settled in %.1f s, %d records behind%n", option("group"),
                    (System.nanoTime() - start) / 1e9, behind);
        }
    }

    /** The app's stage groups (named from {@code --local.group}) and the topic each consumes. */
    private ConsumerLag stageLag(Admin admin) {
        String group = option("group");
        Map<String, String> topicByGroup = new java.util.LinkedHashMap<>(Map.of(group + "-preprocess",
                option("topic"), group + "-inference", option("features-topic"), group + "-sink",
                option("predictions-topic")));
        if (options.containsKey("sessions-topic")) {
            // The session stage's group is its Kafka Streams application id, <group>-sessions (bench/run.sh).
            topicByGroup.putAll(Map.of(group + "-sessions", option("features-topic"),
                    group + "-session-inference", option("sessions-topic"),
                    group + "-session-sink", option("session-predictions-topic")));
        }
        return new ConsumerLag(admin, topicByGroup);
    }

    private void record(String scenario, Map<String, String> values) throws IOException {
        StringBuilder lines = new StringBuilder();
        values.forEach((key, value) -> lines.append(scenario).append('.').append(key).append('=').append(value)
                .append('\n'));
        System.out.print(lines);
        Files.writeString(Path.of(option("results")), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String option(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --local." + name + "=...");
        }
        return value;
    }

    /** The relay runs in this JVM, which {@link MachineCpu} counts as the harness. */
    private MachineCpu startCpu() {
        try {
            return MachineCpu.start(stackPids());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** broker, Redis and model server processes, from {@code --local.pids} (bench/run.sh passes them). */
    private Map<String, Long> stackPids() {
        return MachineCpu.parse(options.get("pids"));
    }

    private String bootstrap() {
        return "127.0.0.1:" + option("kafka-port");
    }

    private int redisPort() {
        return Integer.parseInt(option("redis-port"));
    }

    private int appPort() {
        return Integer.parseInt(option("app-port"));
    }

    private int events() {
        return Integer.parseInt(option("events"));
    }

    /** Events relayed or drained, untimed, before the {@link #events()} that are timed. */
    private int warmup() {
        return Integer.parseInt(option("warmup"));
    }

    private int partitions() {
        return Integer.parseInt(options.getOrDefault("partitions", "6"));
    }
}
