package io.streaminference.contract;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Protobuf encode and decode of the s1 and s2 values. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ContractCodecBenchmark {

    private final Features features = features();
    private final byte[] featureBytes = features.toByteArray();
    private final Prediction prediction = Prediction.newBuilder().setEventId("demo-3uv-5lhc").setEntityKey("u-laz7")
            .setEventTimeMs(1_767_225_600_000L).addScores(0.93f).setLabel("bot").setModelName("clickstream-bot")
            .setModelVersion(1).setIngestedAtMs(1_767_225_600_010L).setPreprocessedAtMs(1_767_225_600_020L)
            .setPredictedAtMs(1_767_225_600_030L)
            .setSource(SourcePosition.newBuilder().setTopic("s0").setPartition(3).setOffset(123_456)).build();
    private final byte[] predictionBytes = prediction.toByteArray();

    @Benchmark
    public byte[] encodeFeatures() {
        return features.toByteArray();
    }

    @Benchmark
    public Features decodeFeatures() throws InvalidProtocolBufferException {
        return Features.parseFrom(featureBytes);
    }

    @Benchmark
    public byte[] encodePrediction() {
        return prediction.toByteArray();
    }

    @Benchmark
    public Prediction decodePrediction() throws InvalidProtocolBufferException {
        return Prediction.parseFrom(predictionBytes);
    }

    private static Features features() {
        Features.Builder builder = Features.newBuilder().setEventId("demo-3uv-5lhc").setEntityKey("u-laz7")
                .setEventTimeMs(1_767_225_600_000L).setSchemaVersion(FeatureSchema.VERSION)
                .setSource(SourcePosition.newBuilder().setTopic("s0").setPartition(3).setOffset(123_456))
                .setIngestedAtMs(1_767_225_600_010L).setPreprocessedAtMs(1_767_225_600_020L);
        for (int j = 0; j < FeatureSchema.SIZE; j++) {
            builder.addValues(j / 14f);
        }
        return builder.build();
    }
}
