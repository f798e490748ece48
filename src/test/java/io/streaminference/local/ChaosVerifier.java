package io.streaminference.local;

import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.ConfiguredTopics;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The chaos harness's judge: regenerates the exact input the generator sent (same seed, rate and start time), waits
 * until Redis holds every valid event or the time limit passes, reads s1, s2 and the dead-letter topics from the
 * beginning with read_committed, then sends the flush that closes every generated session and compares s1-sessions
 * and s2-sessions with the offline reference. Prints one table row: sent, stored, lost, duplicates in s1 and s2, dead
 * letters and expected dead letters, sessions, sessions wrong or lost, session duplicates. Exits non-zero unless nothing
 * is lost or duplicated, the DLTs hold exactly the bad set and every session came once, as the reference has it.
 */
final class ChaosVerifier {

    private final String bootstrap;
    private final int redisPort;
    private final RedisKeys keys = new RedisKeys("si:");
    private final TopicsProperties topics = ConfiguredTopics.load();

    ChaosVerifier(String bootstrap, int redisPort) {
        this.bootstrap = bootstrap;
        this.redisPort = redisPort;
    }

    static int run(Map<String, String> options) throws InterruptedException {
        int events = Integer.parseInt(options.getOrDefault("events", "200000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "7"));
        double malformedRatio = Double.parseDouble(options.getOrDefault("malformed-ratio", "0.01"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "20000"));
        long startMs = Long.parseLong(options.getOrDefault("start-ms", "0"));
        Duration gap = Duration.parse("PT" + options.getOrDefault("inactivity-gap", "30M"));
        Duration limit = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout-seconds", "900")));
        ChaosVerifier verifier = new ChaosVerifier("127.0.0.1:" + options.getOrDefault("kafka-port", "9092"),
                Integer.parseInt(options.getOrDefault("redis-port", "6379")));
        // The generator's traffic exactly: the schedule decides which visitor sends next, so the rate must be its rate.
        SessionTraffic traffic = SessionTraffic.generate(seed, startMs, events, rate, malformedRatio);
        Row row = verifier.verify(options.getOrDefault("scenario", "chaos"), traffic, gap, limit);
        System.out.println(Row.HEADER);
        System.out.println(row);
        return row.passed() ? 0 : 1;
    }

    Row verify(String scenario, SessionTraffic traffic, Duration gap, Duration limit) throws InterruptedException {
        List<String> valid = traffic.validIds();
        Set<String> badKeys = new HashSet<>(traffic.malformed());
        int stored = awaitStored(valid, limit);
        Map<String, Long> s1 = count(topics.features(), EventIdReader::ofFeatures);
        Map<String, Long> s2 = count(topics.predictions(), EventIdReader::ofPrediction);
        List<String> deadLetterKeys = new ArrayList<>();
        for (String topic : List.of(topics.events(), topics.features(), topics.predictions())) {
            readAll(topics.deadLetterOf(topic)).forEach(r -> deadLetterKeys.add(r.key() == null ? ""
                    : new String(r.key(), StandardCharsets.UTF_8)));
        }
        boolean dltsExact = deadLetterKeys.size() == badKeys.size() && new HashSet<>(deadLetterKeys).equals(badKeys);
        Sessions sessions = verifySessions(traffic, gap, limit);
        return new Row(scenario, traffic.events().size(), stored, valid.size() - stored, duplicates(s1),
                duplicates(s2), deadLetterKeys.size(), badKeys.size(), dltsExact, sessions, timing(valid));
    }

    /**
     * From each stored prediction's write time in Redis: the longest time the sink wrote nothing between its first and
     * last write (how long a fault or a rebalance held the whole stream), and the slowest event from s0 to Redis (which
     * also sees partitions held alone, e.g. behind a transaction a killed instance left open).
     */
    private Timing timing(List<String> ids) {
        LettuceConnectionFactory factory = TestRedis.connect(redisPort);
        try {
            StoredPredictions predictions = new StoredPredictions(new StringRedisTemplate(factory), keys);
            List<Long> times = new ArrayList<>(ids.size());
            long slowest = 0;
            for (int from = 0; from < ids.size(); from += 5_000) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 5_000));
                List<Long> written = predictions.writtenAt(chunk);
                List<Prediction> stored = predictions.read(chunk);
                for (int i = 0; i < chunk.size(); i++) {
                    if (written.get(i) != null && stored.get(i) != null) {
                        times.add(written.get(i));
                        slowest = Math.max(slowest, written.get(i) - stored.get(i).getIngestedAtMs());
                    }
                }
            }
            long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
            long longest = 0;
            for (int i = 1; i < sorted.length; i++) {
                longest = Math.max(longest, sorted[i] - sorted[i - 1]);
            }
            return new Timing(Duration.ofMillis(longest), Duration.ofMillis(slowest));
        } finally {
            factory.destroy();
        }
    }

    /**
     * @param longestPause the longest time nothing was stored
     * @param slowestEvent the longest time from s0 (the record's timestamp) to the Redis write of one event
     */
    record Timing(Duration longestPause, Duration slowestEvent) {
    }

    /** Closes every generated session with the flush, then compares s1-sessions and s2-sessions with the reference. */
    private Sessions verifySessions(SessionTraffic traffic, Duration gap, Duration limit) throws InterruptedException {
        Map<String, SessionFeatures> reference = traffic.reference(gap);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrap);
                KafkaConsumer<byte[], byte[]> metadata = consumer()) {
            traffic.flush(producer, topics.events(), metadata.partitionsFor(topics.features(), Duration.ofSeconds(30))
                    .size());
        }
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, List<SessionFeatures>> emitted;
        Map<String, List<SessionPrediction>> predicted;
        do {
            Thread.sleep(5_000);
            emitted = SessionTraffic.finalSessions(readAll(topics.sessions()));
            predicted = SessionTraffic.predictions(readAll(topics.sessionPredictions()));
        } while ((!emitted.keySet().containsAll(reference.keySet()) || !predicted.keySet().containsAll(reference.keySet()))
                && System.nanoTime() < deadline);
        Map<String, List<SessionFeatures>> finals = emitted;
        long lost = reference.keySet().stream().filter(id -> !finals.containsKey(id)).count();
        long unexpected = emitted.keySet().stream().filter(id -> !reference.containsKey(id)).count();
        long differing = reference.entrySet().stream().filter(e -> finals.containsKey(e.getKey())
                && !finals.get(e.getKey()).get(0).equals(e.getValue())).count();
        Map<String, List<SessionPrediction>> scored = predicted;
        long unscored = reference.keySet().stream().filter(id -> !scored.containsKey(id)).count();
        return new Sessions(reference.size(), lost + unexpected + differing + unscored,
                emitted.values().stream().mapToLong(copies -> copies.size() - 1).sum()
                        + predicted.values().stream().mapToLong(copies -> copies.size() - 1).sum());
    }

    private int awaitStored(List<String> ids, Duration limit) throws InterruptedException {
        LettuceConnectionFactory factory = TestRedis.connect(redisPort);
        try {
            StoredPredictions predictions = new StoredPredictions(new StringRedisTemplate(factory), keys);
            long deadline = System.nanoTime() + limit.toNanos();
            int stored;
            while (true) {
                try {
                    stored = 0;
                    for (int from = 0; from < ids.size(); from += 5_000) {
                        stored += (int) predictions.read(ids.subList(from, Math.min(ids.size(), from + 5_000)))
                                .stream().filter(Objects::nonNull).count();
                    }
                } catch (RuntimeException redisAway) {
                    stored = -1;
                }
                if (stored == ids.size() || System.nanoTime() > deadline) {
                    return Math.max(stored, 0);
                }
                Thread.sleep(5_000);
            }
        } finally {
            factory.destroy();
        }
    }

    private Map<String, Long> count(String topic, Function<byte[], String> eventId) {
        Map<String, Long> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
            counts.merge(eventId.apply(record.value()), 1L, Long::sum);
        }
        return counts;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static long duplicates(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(c -> c - 1).sum();
    }

    /**
     * @param wrong      sessions lost, unexpected, unscored or with a summary other than the reference's
     * @param duplicates extra copies in s1-sessions and s2-sessions
     */
    record Sessions(int expected, long wrong, long duplicates) {
    }

    record Row(String scenario, int sent, int stored, int lost, long duplicatesS1, long duplicatesS2, int deadLetters,
            int expectedDeadLetters, boolean deadLettersExact, Sessions sessions, Timing timing) {

        static final String HEADER = "| scenario | events sent | stored in Redis | lost | duplicates in s1 "
                + "| duplicates in s2 | in DLTs | expected in DLTs | sessions | sessions wrong or lost "
                + "| session duplicates | longest pause in stored output | slowest event | result |";

        boolean passed() {
            return lost == 0 && duplicatesS1 == 0 && duplicatesS2 == 0 && deadLettersExact && sessions.wrong() == 0
                    && sessions.duplicates() == 0;
        }

        @Override
        public String toString() {
            return String.format("| %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %.1f s | %.1f s | %s |",
                    scenario, sent, stored, lost, duplicatesS1, duplicatesS2, deadLetters, expectedDeadLetters,
                    sessions.expected(), sessions.wrong(), sessions.duplicates(),
                    timing.longestPause().toMillis() / 1000.0, timing.slowestEvent().toMillis() / 1000.0,
                    passed() ? "pass" : "FAIL");
        }
    }
}
