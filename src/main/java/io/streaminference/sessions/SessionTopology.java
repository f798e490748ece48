package io.streaminference.sessions;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * s1 → s1-sessions, as a Kafka Streams topology: events keyed by their entity (preprocess keys s1 by user id, so no
 * repartition is needed), timed by their event time, into per-user session windows kept by {@link SessionProcessor}
 * in Kafka Streams state stores; each session's summary ({@link SessionMath#summary}) goes to s1-sessions, keyed by
 * entity, once the stream time has passed its end by {@code inactivityGap} plus {@code grace} — and early summaries at
 * multiples of {@code emitEvery}, so a crawler that never pauses is scored before its session ends. The stores are
 * RocksDB with changelog topics, so restore after a crash or a rebalance is the engine's, and with exactly_once_v2
 * a summary and the state it came from commit together.
 *
 * <p>An event too late to join its session (later than the grace period) is counted and left out; its own prediction
 * is unaffected.
 */
public final class SessionTopology {

    public static final String STORE = "sessions";

    /**
     * The session store's changelog is {@code compact,delete} with a retention of the store's plus a day, and its
     * records carry the event time: events older than that (a replay, a backfill, the tests' fixed clock) had their
     * state deleted by the broker's next retention check, and a restore then lost those sessions' first events.
     * Stamped by the broker on append, the changelog ages by when the state was written. Restore reads the session's
     * start and end from the record key, not from its timestamp.
     */
    static final Map<String, String> APPEND_TIME = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    /**
     * @param emitEvery events between early summaries of an open session; 0 for none
     */
    public record Settings(String input, String output, Duration inactivityGap, Duration grace, int emitEvery) {
    }

    private SessionTopology() {
    }

    /**
     * @param skipped  told the reason of every s1 record the stage cannot use (undecodable, another schema, no key):
     *                 the inference stage dead-letters those records, this stage only counts them
     * @param consumed told of every usable event
     * @param late     told of every event too late to join its session ({@link LateEventFilter})
     */
    public static void build(StreamsBuilder builder, Settings settings, Clock clock, Consumer<String> skipped,
            Runnable consumed, Runnable late) {
        long gapMs = settings.inactivityGap().toMillis();
        long closeAfterMs = settings.inactivityGap().plus(settings.grace()).toMillis();
        // Closed sessions stay this long, so that an event within the gap of one is recognised as late.
        Duration retention = settings.inactivityGap().multipliedBy(2).plus(settings.grace());
        builder.addStateStore(Stores.sessionStoreBuilder(Stores.persistentSessionStore(STORE, retention),
                Serdes.String(), ProtobufSerdes.sessionState()).withLoggingEnabled(APPEND_TIME));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SessionProcessor.OPEN_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.stream(settings.input(), Consumed.with(Serdes.String(), ProtobufSerdes.features())
                        .withTimestampExtractor(new EventTimeExtractor()))
                .filter((entity, event) -> usable(entity, event, skipped))
                .peek((entity, event) -> consumed.run())
                .process(() -> new SessionProcessor(gapMs, closeAfterMs, settings.emitEvery(), clock, late), STORE,
                        SessionProcessor.OPEN_STORE)
                .to(settings.output(), Produced.with(Serdes.String(), ProtobufSerdes.sessionFeatures()));
    }

    private static boolean usable(String entity, Features event, Consumer<String> skipped) {
        String reason = event == null ? "undecodable"
                : entity == null ? "missing_key"
                : event.getSchemaVersion() != FeatureSchema.VERSION
                        || event.getValuesCount() != FeatureSchema.SIZE ? "unsupported_schema"
                : null;
        if (reason != null) {
            skipped.accept(reason);
            return false;
        }
        return true;
    }
}
