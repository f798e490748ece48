package io.streaminference.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.DemoEvent;
import io.streaminference.preprocess.OfflineFeatures;
import io.streaminference.sessions.OfflineSessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Generated clickstream for the session tests — with the offline reference of its sessions ({@link OfflineSessions},
 * what the trainer uses) — and the <em>flush</em>: one event per partition far in the future, which moves every
 * partition's stream time past the end of every generated session, so that all of them close.
 *
 * @param events    every record, malformed ones included, in the order to send
 * @param validIds  the event ids of the valid ones
 * @param malformed the keys of the malformed ones
 * @param features  the valid ones featurised as the preprocess stage does
 */
public record SessionTraffic(List<DemoEvent> events, List<String> validIds, List<String> malformed,
        List<Features> features) {

    public static final String FLUSH_PREFIX = "flush-";

    public static SessionTraffic generate(long seed, int count, double eventsPerSecond, double malformedRatio) {
        return generate(seed, ClickEvents.BASE_TIME_MS, count, eventsPerSecond, malformedRatio);
    }

    /** The traffic the generator sends with these settings, its first event at {@code startMs}. */
    public static SessionTraffic generate(long seed, long startMs, int count, double eventsPerSecond,
            double malformedRatio) {
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, startMs, eventsPerSecond, malformedRatio);
        List<DemoEvent> events = new ArrayList<>(count);
        List<String> validIds = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        List<Features> features = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DemoEvent event = simulator.next();
            events.add(event);
            if (event.malformed()) {
                malformed.add(event.key());
            } else {
                Features valid = OfflineFeatures.features(new String(event.value(), StandardCharsets.UTF_8));
                features.add(valid);
                validIds.add(valid.getEventId());
            }
        }
        return new SessionTraffic(events, validIds, malformed, features);
    }

    /** Sends {@code events[from, to)} to {@code topic}, keyed as the generator keys them. */
    public void send(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) {
        for (DemoEvent event : events.subList(from, to)) {
            byte[] key = event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, key, event.value()));
        }
        producer.flush();
    }

    /**
     * Sends the flush: for each of {@code partitions} partitions an event of its own entity, keyed to land there (as
     * the default partitioner places keys), a day after the last generated event.
     *
     * @return the flush events' ids
     */
    public List<String> flush(KafkaProducer<byte[], byte[]> producer, String topic, int partitions) {
        long at = features.stream().mapToLong(Features::getEventTimeMs).max().orElseThrow() + Duration.ofDays(1)
                .toMillis();
        Map<Integer, String> keys = new LinkedHashMap<>();
        for (int i = 0; keys.size() < partitions; i++) {
            String key = FLUSH_PREFIX + i;
            keys.putIfAbsent(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions, key);
        }
        List<String> ids = new ArrayList<>();
        keys.values().forEach(key -> {
            String json = "{\"event_id\":\"" + key + "\",\"user_id\":\"" + key + "\",\"timestamp\":" + at
                    + ",\"path\":\"/\",\"status\":200}";
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8)));
            ids.add(key);
        });
        producer.flush();
        return ids;
    }

    /** The sessions the stage must emit as final, computed offline, by session id. */
    public Map<String, SessionFeatures> reference(Duration inactivityGap) {
        return OfflineSessions.of(features, inactivityGap).stream().map(SessionTraffic::comparable)
                .collect(Collectors.toMap(SessionFeatures::getSessionId, Function.identity()));
    }

    /** A summary without the one field that depends on when it was made. */
    public static SessionFeatures comparable(SessionFeatures session) {
        return session.toBuilder().clearEmittedAtMs().build();
    }

    /** The final summaries in a topic's records, the flush entities' left out, with how often each session came. */
    public static Map<String, List<SessionFeatures>> finalSessions(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<SessionFeatures>> sessions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            SessionFeatures session = parse(record.value());
            if (session.getFinal() && !session.getEntityKey().startsWith(FLUSH_PREFIX)) {
                sessions.computeIfAbsent(session.getSessionId(), id -> new ArrayList<>()).add(comparable(session));
            }
        }
        return sessions;
    }

    /** The session predictions in a topic's records, by session id. */
    public static Map<String, List<SessionPrediction>> predictions(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<SessionPrediction>> predictions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                SessionPrediction prediction = SessionPrediction.parseFrom(record.value());
                if (!prediction.getEntityKey().startsWith(FLUSH_PREFIX)) {
                    predictions.computeIfAbsent(prediction.getSessionId(), id -> new ArrayList<>()).add(prediction);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("not a SessionPrediction in the session predictions topic", e);
            }
        }
        return predictions;
    }

    private static SessionFeatures parse(byte[] value) {
        try {
            return SessionFeatures.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a SessionFeatures in the sessions topic", e);
        }
    }
}
