package io.streaminference.query;

import io.streaminference.contract.Prediction;
import io.streaminference.sink.RedisKeys;
import io.streaminference.sink.StoreBuckets;
import io.streaminference.sink.StoredLookup;
import java.util.List;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The API's two queries on what the sink stored, for the Redis store benchmark outside this package. */
public final class StoreReads {

    private final StoredReader<Prediction> reader;

    public StoreReads(StringRedisTemplate redis, RedisKeys keys, StoreBuckets buckets) {
        this.reader = new StoredReader<>(new StoredLookup(redis, keys.events(), buckets, false), Prediction::parseFrom,
                Prediction::getEntityKey);
    }

    public Optional<Prediction> byId(String eventId) {
        return reader.find(eventId);
    }

    public List<Prediction> newestForEntity(String entityKey, int limit) {
        return reader.newestForEntity(entityKey, limit);
    }
}
