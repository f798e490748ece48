package io.streaminference.inference;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.streaminference.preprocess.OfflineFeatures;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * The design this project replaced, kept only as the benchmark's baseline (never product code): offsets committed
 * automatically before the work is done, and per record a new gRPC channel, one blocking single-row Predict, one
 * synchronous produce and one Redis write. It stops after {@code count} records, the time limit, or 100 failures.
 */
public final class SeedStyleBaseline {

    private SeedStyleBaseline() {
    }

    public static Map<String, String> run(String bootstrap, String topic, String outputTopic, int modelPort,
            StringRedisTemplate redis, int count, Duration limit) {
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "seed-baseline",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        int done = 0;
        int failed = 0;
        String firstFailure = "none";
        long start = 0;
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            consumer.subscribe(List.of(topic));
            while (done < count && failed < 100 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    try {
                        float score = predictOnNewChannel(modelPort,
                                OfflineFeatures.of(new String(record.value(), StandardCharsets.UTF_8)));
                        byte[] value = Float.toString(score).getBytes(StandardCharsets.UTF_8);
                        producer.send(new ProducerRecord<>(outputTopic, record.key(), value)).get(10, TimeUnit.SECONDS);
                        redis.opsForValue().set("seed:" + record.partition() + ":" + record.offset(),
                                Float.toString(score));
                        done++;
                    } catch (Exception e) { // the baseline counts failures; the product classifies them
                        failed++;
                        if (failed == 1) {
                            firstFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                        }
                    }
                    if (done >= count || failed >= 100 || System.nanoTime() >= deadline) {
                        break;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, String> result = new LinkedHashMap<>();
        result.put("events", Integer.toString(done));
        result.put("failed", Integer.toString(failed));
        result.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        result.put("events_per_s", String.format(Locale.ROOT, "%.1f", done / seconds));
        result.put("stopped_by", done >= count ? "count" : failed >= 100 ? "failures" : "time_limit");
        result.put("first_failure", firstFailure.replace(' ', '_'));
        return result;
    }

    private static float predictOnNewChannel(int port, float[] features) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            TensorProto.Builder input = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                    .setTensorShape(TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1))
                            .addDim(TensorShapeProto.Dim.newBuilder().setSize(features.length)));
            for (float feature : features) {
                input.addFloatVal(feature);
            }
            PredictResponse response = PredictionServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .predict(PredictRequest.newBuilder()
                            .setModelSpec(ModelSpec.newBuilder().setName("clickstream-bot")
                                    .setSignatureName("serving_default"))
                            .putInputs("features", input.build()).build());
            TensorProto scores = response.getOutputsOrThrow("scores");
            return scores.getTensorContent().isEmpty() ? scores.getFloatVal(0)
                    : scores.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
        } finally {
            channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        }
    }
}
