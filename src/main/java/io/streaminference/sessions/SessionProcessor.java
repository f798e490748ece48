package io.streaminference.sessions;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Features;
import io.streaminference.contract.OpenSession;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session windows of the session stage, on two Kafka Streams stores (RocksDB, changelogged): the session store
 * {@value SessionTopology#STORE} (each user's sessions by start and end, for merging) and {@value #OPEN_STORE} (the
 * sessions not yet emitted as final, ordered by end time, for closing). An event joins every session of its user
 * within the inactivity gap of it — bridging two merges them — and a session closes once the stream time has passed
 * its end by the gap plus the grace period: its final summary goes out then, early ones at multiples of
 * {@code emitEvery} events.
 *
 * <p>An event that would form or join a closed session is late: counted and left out, so a final summary is never
 * followed by a different one. The stream time is the task's, which Kafka Streams commits with the offsets, so a
 * restart judges lateness as the run before it did.
 *
 * <p>Why not the DSL's {@code SessionWindows} aggregation: its own lateness check lets an event later than the grace
 * period extend a session already closed, judges by a stream time a restart resets, and its emit-on-close looks for
 * closed sessions once per second of wall-clock time in a store that may already have forgotten them. Here each
 * event does the whole step, and nothing is forgotten before it is emitted.
 */
final class SessionProcessor implements Processor<String, Features, String, SessionFeatures> {

    static final String OPEN_STORE = "sessions-open";
    private static final Logger log = LoggerFactory.getLogger(SessionProcessor.class);

    private final long gapMs;
    private final long closeAfterMs;
    private final int emitEvery;
    private final Clock clock;
    private final Runnable late;
    private ProcessorContext<String, SessionFeatures> context;
    private SessionStore<String, SessionState> sessions;
    private KeyValueStore<Bytes, byte[]> open;

    /**
     * @param closeAfterMs the inactivity gap plus the grace period
     */
    SessionProcessor(long gapMs, long closeAfterMs, int emitEvery, Clock clock, Runnable late) {
        this.gapMs = gapMs;
        this.closeAfterMs = closeAfterMs;
        this.emitEvery = emitEvery;
        this.clock = clock;
        this.late = late;
    }

    @Override
    public void init(ProcessorContext<String, SessionFeatures> context) {
        this.context = context;
        this.sessions = context.getStateStore(SessionTopology.STORE);
        this.open = context.getStateStore(OPEN_STORE);
    }

    @Override
    public void process(Record<String, Features> event) {
        String entity = event.key();
        long time = event.timestamp();
        long closedBefore = context.currentStreamTimeMs() - closeAfterMs;
        List<KeyValue<Windowed<String>, SessionState>> touching = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, SessionState> found = sessions.findSessions(entity, time - gapMs,
                time + gapMs)) {
            found.forEachRemaining(touching::add);
        }
        if (touching.stream().anyMatch(s -> s.key.window().end() < closedBefore) || time < closedBefore) {
            late.run();
            log.debug("Late event {} of {} at {}: sessions ending before {} are closed (task {})",
                    event.value().getEventId(), entity, time, closedBefore, context.taskId());
            return;
        }
        long start = time;
        long end = time;
        SessionState state = SessionMath.add(SessionMath.empty(), event.value());
        int early = 0;
        for (KeyValue<Windowed<String>, SessionState> session : touching) {
            start = Math.min(start, session.key.window().start());
            end = Math.max(end, session.key.window().end());
            state = SessionMath.merge(state, session.value);
            sessions.remove(session.key);
            byte[] replaced = open.delete(openKey(session.key.window().end(), session.key.window().start(), entity));
            if (replaced != null) {
                early = Math.max(early, parse(replaced).getEarlySummaries());
            }
        }
        sessions.put(new Windowed<>(entity, new Span(start, end)), state);
        if (emitEvery > 0 && state.getEventCount() / emitEvery > early) {
            early = state.getEventCount() / emitEvery;
            emit(entity, state, false);
        }
        open.put(openKey(end, start, entity),
                OpenSession.newBuilder().setState(state).setEarlySummaries(early).build().toByteArray());
        closeBefore(closedBefore);
    }

    /** Emits as final, and forgets, every open session that ended before {@code endBefore}, oldest first. */
    private void closeBefore(long endBefore) {
        if (endBefore <= 0) {
            return;
        }
        List<Bytes> emitted = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> closed = open.range(openKey(0, 0, ""), openKey(endBefore, 0, ""))) {
            while (closed.hasNext()) {
                KeyValue<Bytes, byte[]> entry = closed.next();
                byte[] key = entry.key.get();
                String entity = new String(Arrays.copyOfRange(key, 16, key.length), StandardCharsets.UTF_8);
                emit(entity, parse(entry.value).getState(), true);
                emitted.add(entry.key);
            }
        }
        emitted.forEach(open::delete);
    }

    /**
     * The record's timestamp is the time it is emitted, as every other stage's: with the event time, a replay of old
     * events would write summaries the topic's retention deletes at once.
     */
    private void emit(String entity, SessionState state, boolean last) {
        long now = clock.millis();
        context.forward(new Record<>(entity, SessionMath.summary(entity, state, last, now), now));
    }

    /** Big-endian end, start, entity: RocksDB orders keys by bytes, so a range scan walks sessions by end time. */
    private static Bytes openKey(long end, long start, String entity) {
        byte[] name = entity.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(16 + name.length).putLong(end).putLong(start).put(name).array());
    }

    private static OpenSession parse(byte[] value) {
        try {
            return OpenSession.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("The store " + OPEN_STORE + " holds a value that is not an OpenSession", e);
        }
    }

    /** A session's time span as the session store keys it (start and end inclusive). */
    private static final class Span extends Window {

        Span(long startMs, long endMs) {
            super(startMs, endMs);
        }

        @Override
        public boolean overlap(Window other) {
            return startMs <= other.end() && other.start() <= endMs;
        }
    }
}
