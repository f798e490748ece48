package io.streaminference.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session windows' semantics on the real topology, without a broker: sessions end after the inactivity gap in
 * event time, a late event bridging two sessions merges them, out-of-order events within the grace period join their
 * session, later ones are left out and counted (and never reopen a session already emitted), and early summaries come at multiples of emit-every.
 */
class SessionTopologyTests {

    static final Duration GAP = Duration.ofSeconds(60);
    static final Duration GRACE = Duration.ofSeconds(10);
    static final long T0 = 1_767_225_600_000L;
    /** The wall clock: 300 days after the events, as when old events are replayed. */
    static final long NOW = T0 + Duration.ofDays(300).toMillis();

    private final Map<String, AtomicInteger> skipped = new ConcurrentHashMap<>();
    private final AtomicInteger consumed = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> s1;
    private TestOutputTopic<String, byte[]> sessions;

    private void start(int emitEvery) {
        StreamsBuilder builder = new StreamsBuilder();
        SessionTopology.build(builder, new SessionTopology.Settings("s1", "s1-sessions", GAP, GRACE, emitEvery),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                reason -> skipped.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet(),
                consumed::incrementAndGet, late::incrementAndGet);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "session-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), config);
        s1 = driver.createInputTopic("s1", new StringSerializer(), new ByteArraySerializer());
        sessions = driver.createOutputTopic("s1-sessions", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void endsASessionAfterTheInactivityGapInEventTime() {
        start(0);
        event("u", 0);
        event("u", 10);
        event("u", 20);
        assertThat(sessions.isEmpty()).as("open until stream time passes end + gap + grace").isTrue();
        event("v", 20 + 60 + 10 + 1);

        assertThat(closed()).singleElement().satisfies(session -> {
            assertThat(session.getEntityKey()).isEqualTo("u");
            assertThat(session.getEventCount()).isEqualTo(3);
            assertThat(session.getStartMs()).isEqualTo(at(0));
            assertThat(session.getEndMs()).isEqualTo(at(20));
            assertThat(session.getSessionId()).isEqualTo(SessionIds.of("u", at(0)));
            assertThat(session.getFinal()).isTrue();
            assertThat(session.getValuesCount()).isEqualTo(io.streaminference.contract.SessionSchema.SIZE);
        });
    }

    @Test
    void stampsSummariesWithTheTimeTheyAreEmittedNotTheirEventTime() {
        start(0);
        event("u", 0);
        event("v", 1_000);

        var record = sessions.readRecord();
        assertThat(record.timestamp()).as("older than the topic's retention, the broker would delete it at once")
                .isEqualTo(NOW);
        assertThat(parse(record.value()).getEmittedAtMs()).isEqualTo(NOW);
    }

    @Test
    void emitsSessionsEvenWhenTheNextEventComesLongAfterTheirClose() {
        start(0);
        event("u", 0);
        event("u", 10);
        // A quiet partition: the next event is a day later, far past the session store's retention.
        event("v", 86_400);

        assertThat(closed()).singleElement().satisfies(session -> assertThat(session.getEventCount()).isEqualTo(2));
    }

    @Test
    void cutsSessionsWhereTheGapIsLongerThanTheInactivityGap() {
        start(0);
        event("u", 0);
        event("u", 10);
        event("u", 10 + 61);
        event("v", 1_000);

        assertThat(closed()).extracting(SessionFeatures::getEventCount, SessionFeatures::getStartMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, at(0)),
                        org.assertj.core.groups.Tuple.tuple(1, at(71)));
    }

    @Test
    void mergesTwoSessionsWhenALateEventBridgesThem() {
        start(0);
        event("u", 0);
        event("u", 65);
        // Two sessions so far (65 s apart, the gap is 60 s), the first not yet closed (0 + 60 + 10 > 65). An event at
        // 30 is within the gap of both: the three are one session.
        event("u", 30);
        event("v", 1_000);

        assertThat(closed()).filteredOn(session -> session.getEntityKey().equals("u")).singleElement()
                .satisfies(session -> {
                    assertThat(session.getEventCount()).isEqualTo(3);
                    assertThat(session.getStartMs()).isEqualTo(at(0));
                    assertThat(session.getEndMs()).isEqualTo(at(65));
                });
    }

    @Test
    void letsAnOutOfOrderEventWithinGraceJoinItsSession() {
        start(0);
        event("u", 100);
        event("x", 160);
        event("u", 95);
        event("v", 1_000);

        assertThat(closed()).filteredOn(session -> session.getEntityKey().equals("u")).singleElement()
                .satisfies(session -> {
                    assertThat(session.getEventCount()).isEqualTo(2);
                    assertThat(session.getStartMs()).isEqualTo(at(95));
                });
    }

    @Test
    void leavesOutAndCountsAnEventLaterThanTheGracePeriod() {
        start(0);
        event("v", 500);
        // Stream time 500: a new session ending at 0 closes at 0 + 60 + 10 < 500, so it is too late.
        event("w", 0);
        event("v", 2_000);

        assertThat(closed()).noneMatch(session -> session.getEntityKey().equals("w"));
        assertThat(late).hasValue(1);
    }

    @Test
    void neverReopensASessionAlreadyEmittedAsFinal() {
        start(0);
        event("u", 0);
        // Stream time 75: u's session [0, 0] is closed (0 + 60 + 10 < 75) and emitted.
        event("v", 75);
        assertThat(closed()).extracting(SessionFeatures::getEntityKey).containsExactly("u");
        // Within the gap of that session: Kafka Streams alone would extend it to [0, 50] (its end 50 is not yet
        // closed) and a second, different final summary of u's session would follow.
        event("u", 50);
        event("v", 2_000);

        assertThat(closed()).extracting(SessionFeatures::getEntityKey).containsExactly("v");
        assertThat(late).hasValue(1);
    }

    @Test
    void emitsEarlySummariesAtMultiplesOfEmitEveryAndTheFinalOneOnClose() {
        start(3);
        for (int i = 0; i < 7; i++) {
            event("u", i);
        }
        List<SessionFeatures> early = summaries();
        assertThat(early).extracting(SessionFeatures::getEventCount, SessionFeatures::getFinal)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, false),
                        org.assertj.core.groups.Tuple.tuple(6, false));
        event("v", 1_000);
        assertThat(summaries()).filteredOn(SessionFeatures::getFinal).singleElement()
                .satisfies(session -> assertThat(session.getEventCount()).isEqualTo(7));
    }

    @Test
    void skipsAndCountsWhatItCannotUse() {
        start(0);
        s1.pipeInput("u", "not protobuf".getBytes(), Instant.ofEpochMilli(at(0)));
        s1.pipeInput("u", Features.newBuilder().setEventId("e").setEntityKey("u").setSchemaVersion(9)
                .setEventTimeMs(at(1)).build().toByteArray(), Instant.ofEpochMilli(at(1)));
        assertThat(skipped).containsOnlyKeys("undecodable", "unsupported_schema");
        assertThat(consumed).hasValue(0);
    }

    @Test
    void readsAFeaturesRecordWrittenBeforeItCarriedAPathHash() {
        start(0);
        Features old = features("u", 0).toBuilder().clearPathHash().build();
        s1.pipeInput("u", old.toByteArray(), Instant.ofEpochMilli(at(0)));
        event("v", 1_000);

        assertThat(closed()).filteredOn(session -> session.getEntityKey().equals("u")).singleElement()
                .satisfies(session -> assertThat(session.getValues(10)).as("distinct path ratio, unknown")
                        .isEqualTo(1f));
    }

    private void event(String user, long seconds) {
        s1.pipeInput(user, features(user, seconds).toByteArray(), Instant.ofEpochMilli(T0 + 42));
    }

    static Features features(String user, long seconds) {
        Features.Builder features = Features.newBuilder().setEventId(user + "-" + seconds).setEntityKey(user)
                .setEventTimeMs(at(seconds)).setSchemaVersion(FeatureSchema.VERSION).setPathHash(seconds + 1);
        for (int j = 0; j < FeatureSchema.SIZE; j++) {
            features.addValues(j == 3 ? 1 : 0);
        }
        return features.build();
    }

    static long at(long seconds) {
        return T0 + seconds * 1000;
    }

    private List<SessionFeatures> summaries() {
        return sessions.readValuesToList().stream().map(SessionTopologyTests::parse).toList();
    }

    private List<SessionFeatures> closed() {
        return summaries().stream().filter(SessionFeatures::getFinal).toList();
    }

    private static SessionFeatures parse(byte[] bytes) {
        try {
            return SessionFeatures.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
