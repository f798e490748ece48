package io.streaminference.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Every dead-letter topic → Redis, for people: the latest dead letter of each event or session id (an event's journey
 * ends there) and the newest {@value #RECENT_PER_KIND} of each dead-letter topic and reason (the dashboard's list), in
 * {@link RedisKeys}' layout, with the sink's TTL. Writes are idempotent per entry, so replaying a batch is harmless;
 * the dead letters themselves stay in their topics, where redrive reads them.
 */
final class DeadLetterLog {

    static final int RECENT_PER_KIND = 20;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final DeadLetterEntries entries;
    private final ObjectMapper json;
    private final long ttlMillis;
    private final Clock clock;

    DeadLetterLog(StringRedisTemplate redis, RedisKeys keys, DeadLetterEntries entries, ObjectMapper json,
            Duration ttl, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.entries = entries;
        this.json = json;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    void record(List<ConsumerRecord<byte[], byte[]>> batch) {
        long now = clock.millis();
        List<DeadLetterEntry> read = batch.stream().map(record -> entries.of(record, now)).toList();
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (DeadLetterEntry entry : read) {
                byte[] value = encode(entry);
                if (entry.id() != null) {
                    connection.stringCommands().pSetEx(keys.deadLetter(entry.id()), ttlMillis, value);
                }
                byte[] recent = keys.recentDeadLetters(entry.topic(), entry.reason());
                // Remove first: a replayed batch must not list the same dead letter twice.
                connection.listCommands().lRem(recent, 0, value);
                connection.listCommands().lPush(recent, value);
                connection.listCommands().lTrim(recent, 0, RECENT_PER_KIND - 1);
                connection.keyCommands().pExpire(recent, ttlMillis);
                connection.setCommands().sAdd(keys.deadLetterKinds(),
                        (entry.topic() + " " + entry.reason()).getBytes(StandardCharsets.UTF_8));
            }
            connection.keyCommands().pExpire(keys.deadLetterKinds(), ttlMillis);
            return null;
        });
    }

    private byte[] encode(DeadLetterEntry entry) {
        try {
            return json.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dead-letter entry is always writable as JSON", e);
        }
    }
}
