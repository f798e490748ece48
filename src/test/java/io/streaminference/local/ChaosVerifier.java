package io.streaminference.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.DemoEvent;
import io.streaminference.sink.RedisKeys;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.StoredPredictions;
import io.streaminference.testing.TestRedis;
import java.io.IOException;
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
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The chaos harness's judge: regenerates the exact input the generator sent (same seed), waits until Redis holds
 * every valid event or the time limit passes, then reads s1 and s2 from the beginning with read_committed, Redis and
 * the dead-letter topics, and prints one table row: sent, stored, lost, duplicates in s1 and s2, dead letters and
 * expected dead letters. Exits non-zero unless nothing is lost or duplicated and the DLTs hold exactly the bad set.
 */
final class ChaosVerifier {

    private final String bootstrap;
    private final int redisPort;
    private final RedisKeys keys = new RedisKeys("si:");

    ChaosVerifier(String bootstrap, int redisPort) {
        this.bootstrap = bootstrap;
        this.redisPort = redisPort;
    }

    static int run(Map<String, String> options) throws IOException, InterruptedException {
        int events = Integer.parseInt(options.getOrDefault("events", "200000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "7"));
        double malformedRatio = Double.parseDouble(options.getOrDefault("malformed-ratio", "0.01"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "20000"));
        Duration limit = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout-seconds", "900")));
        ChaosVerifier verifier = new ChaosVerifier("127.0.0.1:" + options.getOrDefault("kafka-port", "9092"),
                Integer.parseInt(options.getOrDefault("redis-port", "6379")));
        Row row = verifier.verify(options.getOrDefault("scenario", "chaos"), events, seed, rate, malformedRatio,
                limit);
        System.out.println(Row.HEADER);
        System.out.println(row);
        return row.passed() ? 0 : 1;
    }

    Row verify(String scenario, int events, long seed, double rate, double malformedRatio, Duration limit)
            throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        // The simulator's schedule decides which visitor sends next, so the rate must be the generator's.
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, 0, rate, malformedRatio);
        List<String> valid = new ArrayList<>();
        Set<String> badKeys = new HashSet<>();
        for (int i = 0; i < events; i++) {
            DemoEvent event = simulator.next();
            if (event.malformed()) {
                badKeys.add(event.key());
            } else {
                valid.add(json.readTree(event.value()).get("event_id").asText());
            }
        }
        int stored = awaitStored(valid, limit);
        Map<String, Long> s1 = count("s1", EventIdReader::ofFeatures);
        Map<String, Long> s2 = count("s2", EventIdReader::ofPrediction);
        List<String> deadLetterKeys = new ArrayList<>();
        for (String topic : List.of("s0-dlt", "s1-dlt", "s2-dlt")) {
            readAll(topic).forEach(r -> deadLetterKeys.add(r.key() == null ? "" : new String(r.key(),
                    StandardCharsets.UTF_8)));
        }
        boolean dltsExact = deadLetterKeys.size() == badKeys.size() && new HashSet<>(deadLetterKeys).equals(badKeys);
        return new Row(scenario, events, stored, valid.size() - stored, duplicates(s1), duplicates(s2),
                deadLetterKeys.size(), badKeys.size(), dltsExact);
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

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
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

    record Row(String scenario, int sent, int stored, int lost, long duplicatesS1, long duplicatesS2, int deadLetters,
            int expectedDeadLetters, boolean deadLettersExact) {

        static final String HEADER = "| scenario | events sent | stored in Redis | lost | duplicates in s1 "
                + "| duplicates in s2 | in DLTs | expected in DLTs | result |";

        boolean passed() {
            return lost == 0 && duplicatesS1 == 0 && duplicatesS2 == 0 && deadLettersExact;
        }

        @Override
        public String toString() {
            return String.format("| %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %s |", scenario, sent, stored, lost,
                    duplicatesS1, duplicatesS2, deadLetters, expectedDeadLetters, passed() ? "pass" : "FAIL");
        }
    }
}
