package io.streaminference.preprocess;

import io.streaminference.testing.ClickEvents;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** s0 → features for one event: UTF-8 check, JSON parse and validation, then the 14 features. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FeatureExtractionBenchmark {

    private final EventParser parser = new EventParser(65_536, 8);
    private final Preprocessor preprocessor = new Preprocessor();
    private final byte[] event = ClickEvents.valid(7).getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public float[] parseAndExtract() throws InvalidEventException {
        return preprocessor.features(parser.parse(event));
    }
}
