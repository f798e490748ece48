package io.streaminference.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.Evaluation;
import io.streaminference.contract.Label;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluation join on the real topology, without a broker: a label meets its prediction whichever comes first,
 * once, with the version that answered; labels without a prediction are counted when the window passes; bad labels
 * are dead letters with their reason; only a session's final prediction is evaluated.
 */
class EvaluationTopologyTests {

    static final Duration WINDOW = Duration.ofMinutes(2);
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final String EVENT = "evt-0001";
    static final String SESSION = "0123456789abcdef0123456789abcdef";

    private final Counts counts = new Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> s2;
    private TestInputTopic<String, byte[]> s2Sessions;
    private TestInputTopic<String, byte[]> labels;
    private TestInputTopic<String, byte[]> s2Shadow;
    private TestOutputTopic<String, byte[]> evaluations;
    private TestOutputTopic<String, byte[]> labelsDlt;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        EvaluationTopology.build(builder, new EvaluationTopology.Settings("s2", "s2-sessions", "s2-shadow", "labels",
                "labels-dlt", "evaluations", WINDOW), new LabelCheck(List.of("human", "bot"), List.of("human", "bot")), counts);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "evaluation-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), config);
        s2 = driver.createInputTopic("s2", new StringSerializer(), new ByteArraySerializer());
        s2Sessions = driver.createInputTopic("s2-sessions", new StringSerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic("labels", new StringSerializer(), new ByteArraySerializer());
        s2Shadow = driver.createInputTopic("s2-shadow", new StringSerializer(), new ByteArraySerializer());
        evaluations = driver.createOutputTopic("evaluations", new StringDeserializer(), new ByteArrayDeserializer());
        labelsDlt = driver.createOutputTopic("labels-dlt", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void joinsALabelWithThePredictionOfItsEventAndTheVersionThatAnswered() {
        s2.pipeInput("u-1", prediction(EVENT, 3, 0.9f, "bot"), T0);
        labels.pipeInput("u-1", eventLabel(EVENT, "u-1", "bot"), T0.plusSeconds(30));

        List<TestRecord<String, byte[]>> out = evaluations.readRecordsToList();
        assertThat(out).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("clickstream-bot:3");
            Evaluation evaluation = parse(record.value());
            assertThat(evaluation.getKind()).isEqualTo(Evaluation.Kind.EVENT);
            assertThat(evaluation.getSubjectId()).isEqualTo(EVENT);
            assertThat(evaluation.getEntityKey()).isEqualTo("u-1");
            assertThat(evaluation.getModelVersion()).isEqualTo(3);
            assertThat(evaluation.getScore()).isEqualTo(0.9f);
            assertThat(evaluation.getPositive()).isTrue();
            assertThat(evaluation.getPredictedLabel()).isEqualTo("bot");
            assertThat(evaluation.getLabelSource()).isEqualTo("review");
        });
        assertThat(counts.matched).hasValue(1);
    }

    @Test
    void joinsALabelThatArrivesBeforeItsPrediction() {
        labels.pipeInput("u-1", eventLabel(EVENT, "u-1", "human"), T0);
        assertThat(evaluations.isEmpty()).isTrue();
        s2.pipeInput("u-1", prediction(EVENT, 2, 0.2f, "human"), T0.plusSeconds(5));

        assertThat(evaluations.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(parse(record.value()).getPositive()).isFalse());
        // Matched labels no longer wait: when the window passes, nothing is counted unmatched.
        s2.pipeInput("u-9", prediction("evt-0009", 2, 0.2f, "human"), T0.plus(WINDOW).plusSeconds(60));
        assertThat(counts.unmatched).hasValue(0);
    }

    @Test
    void countsALabelWhosePredictionNeverComesOnceTheWindowHasPassed() {
        labels.pipeInput("u-1", eventLabel(EVENT, "u-1", "bot"), T0);
        s2.pipeInput("u-2", prediction("evt-0002", 1, 0.5f, "bot"), T0.plus(WINDOW).minusSeconds(1));
        assertThat(counts.unmatched).hasValue(0);

        s2.pipeInput("u-2", prediction("evt-0003", 1, 0.5f, "bot"), T0.plus(WINDOW).plusSeconds(20));
        assertThat(counts.unmatched).hasValue(1);
        // The prediction that comes after its label was let go is not evaluated.
        s2.pipeInput("u-1", prediction(EVENT, 1, 0.5f, "bot"), T0.plus(WINDOW).plusSeconds(21));
        assertThat(evaluations.isEmpty()).isTrue();
    }

    @Test
    void evaluatesTheServedAndTheShadowPredictionOfAnEventEachOnceWhateverComesFirst() {
        s2.pipeInput("u-1", prediction(EVENT, 1, 0.3f, "human"), T0);
        labels.pipeInput("u-1", eventLabel(EVENT, "u-1", "bot"), T0.plusSeconds(1));
        s2Shadow.pipeInput("u-1", prediction(EVENT, 2, 0.9f, "bot"), T0.plusSeconds(2));
        labels.pipeInput("u-2", eventLabel("evt-0002", "u-2", "human"), T0.plusSeconds(3));
        s2Shadow.pipeInput("u-2", prediction("evt-0002", 2, 0.1f, "human"), T0.plusSeconds(4));
        s2.pipeInput("u-2", prediction("evt-0002", 1, 0.6f, "bot"), T0.plusSeconds(5));

        List<Evaluation> out = evaluations.readRecordsToList().stream().map(r -> parse(r.value())).toList();
        assertThat(out).extracting(Evaluation::getSubjectId, Evaluation::getModelVersion, Evaluation::getShadow)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(EVENT, 1L, false),
                        org.assertj.core.groups.Tuple.tuple(EVENT, 2L, true),
                        org.assertj.core.groups.Tuple.tuple("evt-0002", 2L, true),
                        org.assertj.core.groups.Tuple.tuple("evt-0002", 1L, false));
        s2.pipeInput("u-9", prediction("evt-0009", 1, 0.2f, "human"), T0.plus(WINDOW).plusSeconds(60));
        assertThat(counts.unmatched).as("matched labels are not counted unmatched when they expire").hasValue(0);
    }

    @Test
    void doesNotJoinAPredictionOlderThanTheWindow() {
        s2.pipeInput("u-1", prediction(EVENT, 1, 0.9f, "bot"), T0);
        labels.pipeInput("u-1", eventLabel(EVENT, "u-1", "bot"), T0.plus(WINDOW).plusSeconds(1));

        assertThat(evaluations.isEmpty()).isTrue();
    }

    @Test
    void evaluatesOnlyTheFinalPredictionOfASession() {
        s2Sessions.pipeInput("u-1", sessionPrediction(false, 0.4f), T0);
        labels.pipeInput("u-1", Label.newBuilder().setSessionId(SESSION).setEntityKey("u-1").setLabel("bot")
                .build().toByteArray(), T0.plusSeconds(1));
        assertThat(evaluations.isEmpty()).as("an early summary's prediction judges part of the session").isTrue();

        s2Sessions.pipeInput("u-1", sessionPrediction(true, 0.8f), T0.plusSeconds(2));

        assertThat(evaluations.readRecordsToList()).singleElement().satisfies(record -> {
            Evaluation evaluation = parse(record.value());
            assertThat(evaluation.getKind()).isEqualTo(Evaluation.Kind.SESSION);
            assertThat(evaluation.getSubjectId()).isEqualTo(SESSION);
            assertThat(evaluation.getScore()).isEqualTo(0.8f);
        });
    }

    @Test
    void sendsABadLabelToTheDeadLetterTopicWithItsReason() {
        labels.pipeInput("u-2", eventLabel(EVENT, "u-1", "bot"), T0);
        labels.pipeInput("u-1", "not a label".getBytes(StandardCharsets.UTF_8), T0);

        List<TestRecord<String, byte[]>> letters = labelsDlt.readRecordsToList();
        assertThat(letters).extracting(r -> header(r, DeadLetters.REASON_HEADER))
                .containsExactly("key_mismatch", "undecodable");
        assertThat(letters).allSatisfy(r -> {
            assertThat(header(r, DeadLetters.STAGE_HEADER)).isEqualTo(EvaluationTopology.STAGE);
            assertThat(header(r, "kafka_dlt-original-topic")).isEqualTo("labels");
        });
        assertThat(letters.get(1).value()).asString(StandardCharsets.UTF_8).isEqualTo("not a label");
        assertThat(counts.deadLetters).containsOnly(Map.entry("key_mismatch", 1), Map.entry("undecodable", 1));
        assertThat(evaluations.isEmpty()).isTrue();
    }

    static byte[] prediction(String eventId, long version, float score, String label) {
        return Prediction.newBuilder().setEventId(eventId).setEntityKey("u").addScores(score).setLabel(label)
                .setModelName("clickstream-bot").setModelVersion(version).setPredictedAtMs(T0.toEpochMilli())
                .build().toByteArray();
    }

    static byte[] sessionPrediction(boolean last, float score) {
        return SessionPrediction.newBuilder().setSessionId(SESSION).setEntityKey("u-1").addScores(score)
                .setLabel(score >= 0.5 ? "bot" : "human").setModelName("clickstream-session").setModelVersion(1)
                .setFinal(last).build().toByteArray();
    }

    static byte[] eventLabel(String eventId, String entity, String label) {
        return Label.newBuilder().setEventId(eventId).setEntityKey(entity).setLabel(label).setSource("review")
                .setLabelledAtMs(T0.toEpochMilli()).build().toByteArray();
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Evaluation parse(byte[] value) {
        try {
            return Evaluation.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Counts implements JoinCounters {
        final AtomicInteger matched = new AtomicInteger();
        final AtomicInteger unmatched = new AtomicInteger();
        final Map<String, Integer> deadLetters = new ConcurrentHashMap<>();

        @Override
        public void prediction() {
        }

        @Override
        public void label() {
        }

        @Override
        public void matched() {
            matched.incrementAndGet();
        }

        @Override
        public void unmatchedLabel() {
            unmatched.incrementAndGet();
        }

        @Override
        public void deadLetter(String reason) {
            deadLetters.merge(reason, 1, Integer::sum);
        }
    }
}
