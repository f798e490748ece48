package io.streaminference.query;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.sink.StoredLookup;
import io.streaminference.sink.StoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;


/**
 * Reads what the sink stored — event predictions or session predictions, through their {@link StoredLookup} — as
 * messages: one by its id, or an entity's newest.
 *
 * @param <M> the stored message
 */
final class StoredReader<M> {

    private final StoredLookup lookup;
    private final Parser<M> parser;
    private final Function<M, String> entityOf;

    StoredReader(StoredLookup lookup, Parser<M> parser, Function<M, String> entityOf) {
        this.lookup = lookup;
        this.parser = parser;
        this.entityOf = entityOf;
    }

    Optional<M> find(String id) {
        return lookup.find(id).map(stored -> decode(stored.message()));
    }

    /**
     * @return up to {@code limit} records, newest first by their index time; expired ones are skipped, and so is any
     *         stored under another entity (the sink never indexes one, but hashes written before it kept the entity
     *         could)
     */
    List<M> newestForEntity(String entityKey, int limit) {
        List<M> found = new ArrayList<>();
        for (StoredValue stored : lookup.newest(entityKey, limit)) {
            M record = decode(stored.message());
            if (entityOf.apply(record).equals(entityKey)) {
                found.add(record);
            }
        }
        return found;
    }

    private M decode(byte[] value) {
        try {
            return parser.parse(value);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptPredictionException(e);
        }
    }

    @FunctionalInterface
    interface Parser<M> {
        M parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    /** A stored value that does not read as what the sink stores: someone else wrote under our prefix. */
    static final class CorruptPredictionException extends RuntimeException {
        CorruptPredictionException(Throwable cause) {
            super("stored prediction is not what the sink stores", cause);
        }
    }
}
