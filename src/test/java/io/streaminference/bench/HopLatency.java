package io.streaminference.bench;

import io.streaminference.contract.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the time goes: reads every prediction a phase wrote to s2 (from the phase's start time on) and splits each
 * event's way into event time → preprocessed (s0 hop), preprocessed → predicted (s1 hop incl. Predict) and predicted
 * → s2 record written, from the timestamps every Prediction carries.
 */
final class HopLatency {

    private HopLatency() {
    }

    /**
     * @param series where to write each second's count and p50 / p99 / max per hop (by the s2 record's time), to tell
     *               a tail made of a few stalls from one spread evenly over the phase
     */
    static Map<String, String> sample(String bootstrap, String topic, long sinceMs, Path series) throws IOException {
        List<long[]> hops = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(bootstrap, "hops-" + UUID.randomUUID(), 500)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, sinceMs));
            consumer.offsetsForTimes(query).forEach((p, found) -> consumer.seek(p, found == null ? ends.get(p)
                    : found.offset()));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p) - 1)
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Prediction p = Prediction.parseFrom(record.value());
                    hops.add(new long[] {p.getPreprocessedAtMs() - p.getEventTimeMs(),
                            p.getPredictedAtMs() - p.getPreprocessedAtMs(), record.timestamp() - p.getPredictedAtMs(),
                            record.timestamp() - p.getPreprocessedAtMs(), record.timestamp()});
                }
            }
        }
        writeSeries(hops, series);
        Map<String, String> result = new LinkedHashMap<>();
        // The last is the second and third together, per event: what the null relay's second hop compares with.
        String[] names = {"hop_preprocess", "hop_inference", "hop_s2_send", "hop_inference_to_s2"};
        for (int i = 0; i < names.length; i++) {
            long[] values = sorted(hops, i);
            result.put(names[i] + "_p50_ms", Long.toString(percentile(values, 0.5)));
            result.put(names[i] + "_p99_ms", Long.toString(percentile(values, 0.99)));
        }
        return result;
    }

    private static void writeSeries(List<long[]> hops, Path series) throws IOException {
        TreeMap<Long, List<long[]>> bySecond = new TreeMap<>();
        hops.forEach(h -> bySecond.computeIfAbsent(h[4] / 1000, s -> new ArrayList<>()).add(h));
        StringBuilder lines = new StringBuilder("second\tcount\tpreprocess p50/p99/max\tinference p50/p99/max\t"
                + "s2 send p50/p99/max\n");
        long first = bySecond.isEmpty() ? 0 : bySecond.firstKey();
        bySecond.forEach((second, rows) -> {
            lines.append(second - first).append('\t').append(rows.size());
            for (int hop = 0; hop < 3; hop++) {
                long[] values = sorted(rows, hop);
                lines.append('\t').append(percentile(values, 0.5)).append('/').append(percentile(values, 0.99))
                        .append('/').append(values[values.length - 1]);
            }
            lines.append('\n');
        });
        Files.writeString(series, lines);
    }

    /** One hop's values (column {@code index} of each row), ascending. */
    private static long[] sorted(List<long[]> rows, int index) {
        return rows.stream().mapToLong(h -> h[index]).sorted().toArray();
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
