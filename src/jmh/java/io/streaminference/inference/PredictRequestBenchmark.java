package io.streaminference.inference;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import io.streaminference.inference.InferenceProperties.TensorEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tensorflow.serving.Model.ModelSpec;

/** Building and serialising one PredictRequest of n rows, as tensor_content versus float_val. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictRequestBenchmark {

    @Param({"1", "64", "256", "1024"})
    int batch;

    @Param({"TENSOR_CONTENT", "FLOAT_VAL"})
    TensorEncoding encoding;

    private PredictRequestFactory factory;
    private List<Features> rows;

    @Setup
    public void setUp() {
        factory = new PredictRequestFactory(ModelSpec.newBuilder().setName("m").setSignatureName("serving_default")
                .build(), "features", "scores", encoding);
        Random random = new Random(1);
        rows = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            Features.Builder row = Features.newBuilder().setEventId("e" + i).setSchemaVersion(FeatureSchema.VERSION);
            for (int j = 0; j < FeatureSchema.SIZE; j++) {
                row.addValues(random.nextFloat());
            }
            rows.add(row.build());
        }
    }

    @Benchmark
    public byte[] buildAndSerialise() {
        return factory.build(rows).toByteArray();
    }
}
