package io.streaminference.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.contract.Label;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionSchema;
import io.streaminference.demo.DemoEvent;
import io.streaminference.testing.KafkaTestClients;
import io.streaminference.testing.SessionTraffic;
import io.streaminference.testing.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.data.Iterator;
import org.tensorflow.op.data.IteratorGetNext;
import org.tensorflow.op.io.ParseSingleExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The training export on a real broker, read back with TensorFlow's own TFRecord reader and {@code tf.train.Example}
 * parser (TensorFlow Java's {@code TFRecordDataset} and {@code ParseSingleExample} ops): exactly the labelled events
 * and final sessions whose records fall in the range, each with its features under the schema's names, its label and
 * its ids; records outside the range and unlabelled ones are left out.
 */
class TrainingExportIntegrationTests {

    static final Duration GAP = Duration.ofSeconds(20);
    static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void writesTheLabelledEventsAndSessionsOfTheRangeAsExamplesTensorFlowReads(@TempDir Path out) throws IOException {
        SessionTraffic traffic = SessionTraffic.generate(21, 600, 40, 0);
        Map<String, Boolean> botByUser = new HashMap<>();
        for (DemoEvent event : traffic.events()) {
            botByUser.put(event.key(), event.bot());
        }
        List<SessionFeatures> sessions = traffic.reference(GAP).values().stream()
                .map(s -> s.toBuilder().setFinal(true).build()).toList();
        Instant now = Instant.now();
        long old = now.minus(Duration.ofHours(2)).toEpochMilli();
        Map<String, Boolean> expectedEvents = new HashMap<>();
        Map<String, Boolean> expectedSessions = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < traffic.features().size(); i++) {
                Features event = traffic.features().get(i);
                boolean inRange = i >= 50;
                producer.send(new ProducerRecord<>("s1", null, inRange ? now.toEpochMilli() : old,
                        utf8(event.getEntityKey()), event.toByteArray()));
                if (i % 3 == 0) {
                    boolean bot = botByUser.get(event.getEntityKey());
                    producer.send(label(Label.newBuilder().setEventId(event.getEventId()), event.getEntityKey(), bot));
                    if (inRange) {
                        expectedEvents.put(event.getEventId(), bot);
                    }
                }
            }
            for (int i = 0; i < sessions.size(); i++) {
                SessionFeatures session = sessions.get(i);
                producer.send(new ProducerRecord<>("s1-sessions", utf8(session.getEntityKey()), session.toByteArray()));
                if (i % 2 == 0) {
                    boolean bot = botByUser.get(session.getEntityKey());
                    producer.send(label(Label.newBuilder().setSessionId(session.getSessionId()),
                            session.getEntityKey(), bot));
                    expectedSessions.put(session.getSessionId(), bot);
                }
            }
            producer.send(new ProducerRecord<>("labels", utf8("u"), utf8("not a label")));
        }

        TrainingExport export = new TrainingExport(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new TrainingExport.Settings("s1", "s1-sessions", "labels", "bot", "bot"));
        TrainingExport.Result result = export.export(now.minusSeconds(60), Instant.now().plusSeconds(60), out);

        assertThat(result.eventsRead()).isEqualTo(traffic.features().size() - 50);
        assertThat(result.events()).isEqualTo(expectedEvents.size());
        assertThat(result.sessions()).isEqualTo(expectedSessions.size());

        List<Map<String, Object>> events = readWithTensorFlow(out.resolve("events.tfrecord"), FeatureSchema.NAMES,
                List.of("label", "event_time_ms", "schema_version"), List.of("event_id", "label_name"));
        Map<String, Boolean> exported = new HashMap<>();
        for (Map<String, Object> example : events) {
            exported.put((String) example.get("event_id"), (Long) example.get("label") == 1L);
            assertThat(example.get("label_name")).isEqualTo((Long) example.get("label") == 1L ? "bot" : "human");
            assertThat(example.get("schema_version")).isEqualTo((long) FeatureSchema.VERSION);
        }
        assertThat(exported).isEqualTo(expectedEvents);
        Features first = traffic.features().stream().filter(f -> f.getEventId().equals(events.get(0).get("event_id")))
                .findFirst().orElseThrow();
        for (int i = 0; i < FeatureSchema.SIZE; i++) {
            assertThat((Float) events.get(0).get(FeatureSchema.NAMES.get(i))).as(FeatureSchema.NAMES.get(i))
                    .isEqualTo(first.getValues(i));
        }
        assertThat(events.get(0).get("event_time_ms")).isEqualTo(first.getEventTimeMs());

        List<Map<String, Object>> exportedSessions = readWithTensorFlow(out.resolve("sessions.tfrecord"),
                SessionSchema.NAMES, List.of("label", "event_count"), List.of("session_id"));
        Map<String, Boolean> sessionLabels = new HashMap<>();
        exportedSessions.forEach(s -> sessionLabels.put((String) s.get("session_id"), (Long) s.get("label") == 1L));
        assertThat(sessionLabels).isEqualTo(expectedSessions);
    }

    @Test
    void tensorFlowRefusesAFileWhoseChecksumsAreWrong(@TempDir Path out) throws IOException {
        Path file = out.resolve("corrupt.tfrecord");
        try (TfRecordWriter writer = new TfRecordWriter(Files.newOutputStream(file))) {
            writer.write(utf8("x".repeat(40)));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> readWithTensorFlow(file, List.of(), List.of(), List.of()))
                .hasMessageContaining("corrupted");
    }

    /**
     * Every record of a TFRecord file through TensorFlow's reader and Example parser, keys to values. A graph, not
     * eager mode: TensorFlow Java's eager datasets lose an input when they serialise themselves.
     */
    static List<Map<String, Object>> readWithTensorFlow(Path file, List<String> floats, List<String> longs,
            List<String> strings) {
        List<String> keys = new ArrayList<>(floats);
        keys.addAll(longs);
        keys.addAll(strings);
        List<Map<String, Object>> examples = new ArrayList<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            List<Class<? extends TType>> types = List.of(TString.class);
            List<Shape> shapes = List.of(Shape.scalar());
            // TensorFlow's TFRecordDataset op (version 1: TensorFlow Java builds version 2, whose kernel in this
            // release serialises itself with one input short when the byte offsets are all zero).
            @SuppressWarnings("unchecked")
            Operand<? extends TType> dataset = (Operand<? extends TType>) graph.opBuilder("TFRecordDataset", "records", tf.scope())
                    .addInput(tf.constant(file.toString()).asOutput()).addInput(tf.constant("").asOutput())
                    .addInput(tf.constant(0L).asOutput()).build().output(0);
            Iterator iterator = tf.data.iterator("training-export-reader", "", types, shapes);
            session.run(tf.data.makeIterator(dataset, iterator));
            IteratorGetNext next = tf.data.iteratorGetNext(iterator, types, shapes);
            @SuppressWarnings("unchecked")
            Operand<TString> serialized = (Operand<TString>) next.components().get(0);
            List<Operand<?>> fetches = new ArrayList<>();
            if (keys.isEmpty()) {
                fetches.add(serialized);
            } else {
                List<Operand<?>> defaults = new ArrayList<>();
                floats.forEach(k -> defaults.add(tf.constant(new float[0])));
                longs.forEach(k -> defaults.add(tf.constant(new long[0])));
                strings.forEach(k -> defaults.add(tf.empty(tf.constant(new int[] {0}), TString.class)));
                // entity_key read as a sparse (VarLen) feature: TensorFlow Java cannot pass an empty list of them.
                ParseSingleExample parsed = tf.io.parseSingleExample(serialized, defaults, 1L,
                        List.of("entity_key"), keys, List.of(TString.class),
                        keys.stream().map(k -> Shape.scalar()).toList());
                parsed.denseValues().forEach(fetches::add);
            }
            while (true) {
                Session.Runner runner = session.runner();
                fetches.forEach(runner::fetch);
                try (Result result = runner.run()) {
                    Map<String, Object> example = new HashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        var value = result.get(i);
                        example.put(keys.get(i), i < floats.size() ? ((TFloat32) value).getFloat()
                                : i < floats.size() + longs.size() ? ((TInt64) value).getLong()
                                : ((TString) value).getObject());
                    }
                    examples.add(example);
                } catch (TFOutOfRangeException end) {
                    return examples;
                }
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> label(Label.Builder subject, String entity, boolean bot) {
        return new ProducerRecord<>("labels", utf8(entity), subject.setEntityKey(entity).setLabel(bot ? "bot" : "human")
                .setSource("test").build().toByteArray());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
