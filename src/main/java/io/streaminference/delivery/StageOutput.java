package io.streaminference.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one batch produced: the records to publish in input order, how many of them are real output (s1, s2, or
 * predictions stored) and the dead letters by reason. {@link StageMetrics#completed} counts it once the batch has
 * committed, so a batch that fails and is retried counts once, not once per attempt.
 */
public final class StageOutput {

    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final Map<String, Integer> deadLettered = new TreeMap<>();
    private int emitted;

    public void emit(ProducerRecord<byte[], byte[]> record) {
        records.add(record);
        emitted++;
    }

    public void deadLetter(ProducerRecord<byte[], byte[]> record, String reason) {
        records.add(record);
        deadLettered.merge(reason, 1, Integer::sum);
    }

    /** Output that is not a Kafka record, e.g. predictions stored in Redis. */
    public void emitted(int count) {
        emitted += count;
    }

    public List<ProducerRecord<byte[], byte[]>> records() {
        return Collections.unmodifiableList(records);
    }

    public int emitted() {
        return emitted;
    }

    public Map<String, Integer> deadLettered() {
        return Collections.unmodifiableMap(deadLettered);
    }
}
