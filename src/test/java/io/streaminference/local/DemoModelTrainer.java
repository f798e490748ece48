package io.streaminference.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.springframework.util.FileSystemUtils;

/**
 * Trains the two demo models with TensorFlow Java — logistic regression by full-batch gradient descent on
 * {@link DemoTraffic}, featurised exactly as the pipeline does — and exports each as a SavedModel with a
 * {@code serving_default} signature: input {@code features} DT_FLOAT [-1, width], output {@code scores} DT_FLOAT
 * [-1, 1]. {@value #EVENT_MODEL} scores single events (width 14), {@value #SESSION_MODEL} whole sessions (width 14 session
 * features). The weights are exported as constants, so the models have no variables to restore and load in stock
 * TensorFlow Serving as well as in {@link LocalModelServer}.
 */
final class DemoModelTrainer {

    static final String EVENT_MODEL = "clickstream-bot";
    static final String SESSION_MODEL = "clickstream-session";
    static final int TRAIN_EVENTS = 400_000;
    static final int TEST_EVENTS = 200_000;
    /** The event model learns from every 10th training event: 40,000 rows are plenty for 15 weights. */
    static final int EVENT_SAMPLE_EVERY = 10;
    static final int STEPS = 3_000;
    /** Features are standardised for training (and the scaling folded back into the weights), so one rate suits both. */
    static final float LEARNING_RATE = 0.5f;

    record Report(int trainEvents, int trainSessions, int testEvents, int testSessions,
            List<ModelComparison.Row> rows) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format("trained on %,d events (%,d sessions), judged on %,d "
                    + "held-out events (%,d sessions):%n%s%n", trainEvents, trainSessions, testEvents, testSessions,
                    ModelComparison.HEADER));
            rows.forEach(row -> text.append(row).append(System.lineSeparator()));
            return text.toString();
        }
    }

    private DemoModelTrainer() {
    }

    /**
     * Trains both models, exports them to {@code <base>/<model>/<version>} (replacing that version if it exists) and
     * judges them on held-out traffic.
     */
    static Report trainAndExport(Path base, long version) throws IOException {
        DemoTraffic train = DemoTraffic.generate(1, TRAIN_EVENTS);
        DemoTraffic test = DemoTraffic.generate(2, TEST_EVENTS);
        float[][] eventRows = train.eventRows();
        float[] eventLabels = train.eventLabels();
        float[][] sampledRows = new float[eventRows.length / EVENT_SAMPLE_EVERY][];
        float[] sampledLabels = new float[sampledRows.length];
        for (int i = 0; i < sampledRows.length; i++) {
            sampledRows[i] = eventRows[i * EVENT_SAMPLE_EVERY];
            sampledLabels[i] = eventLabels[i * EVENT_SAMPLE_EVERY];
        }
        Path eventModel = exportVersion(train(sampledRows, sampledLabels), base.resolve(EVENT_MODEL), version);
        Path sessionModel = exportVersion(train(train.sessionRows(), train.sessionLabels()),
                base.resolve(SESSION_MODEL), version);
        List<ModelComparison.Row> rows = ModelComparison.compare(test, score(eventModel, test.eventRows()),
                score(sessionModel, test.sessionRows()),
                score(sessionModel, test.earlySessionRows(ModelComparison.EARLY_EVENTS)));
        return new Report(train.events().size(), train.sessions().size(), test.events().size(),
                test.sessions().size(), rows);
    }

    private static Path exportVersion(float[] weights, Path model, long version) throws IOException {
        Path target = model.resolve(Long.toString(version));
        FileSystemUtils.deleteRecursively(target);
        Files.createDirectories(model);
        export(weights, target);
        return target;
    }

    /** @return the weights, one per column of {@code rows}, followed by the bias */
    static float[] train(float[][] rows, float[] targets) {
        int f = rows[0].length;
        float[] mean = new float[f];
        float[] scale = new float[f];
        float[][] standardised = standardise(rows, mean, scale);
        float[][] labels = new float[targets.length][1];
        for (int i = 0; i < labels.length; i++) {
            labels[i][0] = targets[i];
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, f)));
            Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
            Variable<TFloat32> w = tf.variable(tf.constant(new float[f][1]));
            Variable<TFloat32> b = tf.variable(tf.constant(new float[] {0f}));
            Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(x, w), b);
            // Numerically stable sigmoid cross-entropy: max(z, 0) - z*y + log(1 + exp(-|z|)).
            Operand<TFloat32> loss = tf.math.mean(
                    tf.math.add(tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, y)),
                            tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits))))),
                    tf.constant(new int[] {0, 1}));
            Gradients gradients = tf.gradients(loss, List.of(w, b));
            Operand<TFloat32> rate = tf.constant(LEARNING_RATE);
            var stepW = tf.train.applyGradientDescent(w, rate, gradients.<TFloat32>dy(0));
            var stepB = tf.train.applyGradientDescent(b, rate, gradients.<TFloat32>dy(1));
            session.initialize();
            try (TFloat32 xs = TFloat32.tensorOf(StdArrays.ndCopyOf(standardised));
                    TFloat32 ys = TFloat32.tensorOf(StdArrays.ndCopyOf(labels))) {
                for (int step = 0; step < STEPS; step++) {
                    session.runner().feed(x, xs).feed(y, ys).addTarget(stepW).addTarget(stepB).run().close();
                }
            }
            try (Result result = session.runner().fetch(w).fetch(b).run()) {
                TFloat32 trainedW = (TFloat32) result.get(0);
                TFloat32 trainedB = (TFloat32) result.get(1);
                // w·(x - mean)/scale + b  =  (w/scale)·x + (b - Σ w·mean/scale): one matmul, no preprocessing op.
                float[] weights = new float[f + 1];
                float bias = trainedB.getFloat(0);
                for (int j = 0; j < f; j++) {
                    weights[j] = trainedW.getFloat(j, 0) / scale[j];
                    bias -= weights[j] * mean[j];
                }
                weights[f] = bias;
                return weights;
            }
        }
    }

    /**
     * Column means and scales (standard deviations; 1 for a constant column, whose weight then stays 0) into
     * {@code mean} and {@code scale}, and the rows standardised with them.
     */
    static float[][] standardise(float[][] rows, float[] mean, float[] scale) {
        int f = mean.length;
        double[] sum = new double[f];
        double[] squares = new double[f];
        for (float[] row : rows) {
            for (int j = 0; j < f; j++) {
                sum[j] += row[j];
                squares[j] += (double) row[j] * row[j];
            }
        }
        for (int j = 0; j < f; j++) {
            double m = sum[j] / rows.length;
            double sd = Math.sqrt(Math.max(0, squares[j] / rows.length - m * m));
            mean[j] = (float) m;
            scale[j] = sd < 1e-6 ? 1f : (float) sd;
        }
        float[][] out = new float[rows.length][f];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < f; j++) {
                out[i][j] = (rows[i][j] - mean[j]) / scale[j];
            }
        }
        return out;
    }

    /** Exports weights (one per feature, then the bias) as a SavedModel scoring {@code weights.length - 1} features. */
    static void export(float[] weights, Path directory) throws IOException {
        int f = weights.length - 1;
        float[][] w = new float[f][1];
        for (int j = 0; j < f; j++) {
            w[j][0] = weights[j];
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> features = tf.withName("features").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, f)));
            Operand<TFloat32> scores = tf.withName("scores").math.sigmoid(
                    tf.math.add(tf.linalg.matMul(features, tf.constant(w)), tf.constant(new float[] {weights[f]})));
            Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
                    .methodName("tensorflow/serving/predict")
                    .input("features", features).output("scores", scores).build();
            SavedModelBundle.exporter(directory.toString()).withFunction(SessionFunction.create(signature, session))
                    .export();
        }
    }

    /** Scores rows with the exported SavedModel itself, independent of any server. */
    static float[] score(Path directory, float[][] rows) {
        try (SavedModelBundle bundle = SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
                TFloat32 input = TFloat32.tensorOf(StdArrays.ndCopyOf(rows));
                Result result = bundle.function(Signature.DEFAULT_KEY).call(Map.of("features", input))) {
            TFloat32 output = (TFloat32) result.get("scores").orElseThrow();
            float[] scores = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                scores[i] = output.getFloat(i, 0);
            }
            return scores;
        }
    }
}
