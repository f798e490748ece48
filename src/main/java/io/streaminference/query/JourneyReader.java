package io.streaminference.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.DeadLetterEntry;
import io.streaminference.sink.RedisKeys;
import io.streaminference.sink.StoredLookup;
import io.streaminference.sink.StoredValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads what an event's journey is made of: its stored prediction with when and from where the sink stored it, and
 * its latest dead letter; and the dead-letter log's newest entries per topic and reason. Two round trips at most.
 */
final class JourneyReader {

    /** A stored prediction with the sink's own fields: when it was written, and the s2 record it came from. */
    record Stored(Prediction prediction, long storedAtMs, String from) {
    }

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final StoredLookup predictions;
    private final ObjectMapper json;

    JourneyReader(StringRedisTemplate redis, RedisKeys keys, StoredLookup predictions, ObjectMapper json) {
        this.redis = redis;
        this.keys = keys;
        this.predictions = predictions;
        this.json = json;
    }

    Optional<Stored> stored(String eventId) {
        Optional<StoredValue> stored = predictions.find(eventId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(Prediction.parseFrom(stored.get().message()), stored.get().storedAtMs(),
                    stored.get().from()));
        } catch (IOException e) {
            throw new StoredReader.CorruptPredictionException(e);
        }
    }

    Optional<DeadLetterEntry> deadLetter(String id) {
        byte[] value = redis.execute((RedisCallback<byte[]>) c -> c.stringCommands().get(keys.deadLetter(id)));
        return Optional.ofNullable(value).map(this::entry);
    }

    /** @return per {@code topic reason} pair, its newest entries (newest first), pairs in name order */
    List<List<DeadLetterEntry>> recentDeadLetters(int perKind) {
        List<List<DeadLetterEntry>> kinds = new ArrayList<>();
        redis.execute((RedisCallback<Void>) c -> {
            Set<byte[]> pairs = c.setCommands().sMembers(keys.deadLetterKinds());
            List<String> sorted = pairs == null ? List.of()
                    : pairs.stream().map(p -> new String(p, StandardCharsets.UTF_8)).sorted().toList();
            for (String pair : sorted) {
                int space = pair.indexOf(' ');
                List<byte[]> values = c.listCommands().lRange(
                        keys.recentDeadLetters(pair.substring(0, space), pair.substring(space + 1)), 0, perKind - 1L);
                if (values != null && !values.isEmpty()) {
                    kinds.add(values.stream().map(this::entry).toList());
                }
            }
            return null;
        });
        return kinds;
    }

    private DeadLetterEntry entry(byte[] value) {
        try {
            return json.readValue(value, DeadLetterEntry.class);
        } catch (IOException e) {
            throw new StoredReader.CorruptPredictionException(e);
        }
    }

}
