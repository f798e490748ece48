package io.streaminference.query;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** Reads predictions the sink stored, through the shared {@link RedisKeys} scheme. */
@Component
class PredictionReader {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    PredictionReader(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    Optional<Prediction> find(String eventId) {
        byte[] value = redis.execute((RedisCallback<byte[]>) c -> c.hashCommands().hGet(keys.prediction(eventId),
                RedisKeys.predictionField()));
        return Optional.ofNullable(value).map(PredictionReader::decode);
    }

    /**
     * @return up to {@code limit} predictions, newest event first; expired ones are skipped, and so is any stored
     *         under another entity (the sink never indexes one, but hashes written before it kept the entity could)
     */
    List<Prediction> newestForEntity(String entityKey, int limit) {
        List<byte[]> values = redis.execute((RedisCallback<List<byte[]>>) c -> newest(c, entityKey, limit));
        List<Prediction> predictions = new ArrayList<>();
        for (byte[] value : values == null ? List.<byte[]>of() : values) {
            if (value != null) {
                Prediction prediction = decode(value);
                if (prediction.getEntityKey().equals(entityKey)) {
                    predictions.add(prediction);
                }
            }
        }
        return predictions;
    }

    private List<byte[]> newest(RedisConnection connection, String entityKey, int limit) {
        Set<byte[]> eventIds = connection.zSetCommands().zRevRange(keys.entityIndex(entityKey), 0, limit - 1L);
        if (eventIds == null || eventIds.isEmpty()) {
            return List.of();
        }
        // One round trip for all of them; a prediction that expired before its index entry reads as null.
        connection.openPipeline();
        for (byte[] id : eventIds) {
            connection.hashCommands().hGet(keys.prediction(new String(id, StandardCharsets.UTF_8)),
                    RedisKeys.predictionField());
        }
        List<byte[]> values = new ArrayList<>();
        for (Object value : connection.closePipeline()) {
            values.add((byte[]) value);
        }
        return values;
    }

    private static Prediction decode(byte[] value) {
        try {
            return Prediction.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptPredictionException(e);
        }
    }

    /** A stored value that is not a Prediction: someone else wrote under our prefix. */
    static final class CorruptPredictionException extends RuntimeException {
        CorruptPredictionException(Throwable cause) {
            super("stored prediction is not a streaminference.v1.Prediction", cause);
        }
    }
}
