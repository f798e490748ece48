package io.streaminference.local;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.demo.ClickstreamSimulator;
import io.streaminference.demo.DemoEvent;
import io.streaminference.preprocess.OfflineFeatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Trains the demo bot-traffic model with TensorFlow Java — logistic regression by full-batch gradient descent on
 * labelled events from {@link ClickstreamSimulator}, featurised exactly as the pipeline does — and exports it as a
 * SavedModel with a {@code serving_default} signature: input {@code features} DT_FLOAT [-1, 14], output
 * {@code scores} DT_FLOAT [-1, 1]. The weights are exported as constants, so the model has no variables to restore
 * and loads in stock TensorFlow Serving as well as in {@link LocalModelServer}.
 */
final class DemoModelTrainer {

    static final String MODEL = "clickstream-bot";
    static final int TRAIN_EVENTS = 40_000;
    static final int TEST_EVENTS = 10_000;
    static final int STEPS = 1_500;
    static final float LEARNING_RATE = 2.0f;

    record Dataset(float[][] x, float[] y) {
    }

    record Report(int trainEvents, int testEvents, double botShare, double rocAuc, double accuracy) {
        @Override
        public String toString() {
            return String.format("trained on %,d events, evaluated on %,d held-out events (%.1f%% bots): ROC AUC %.4f, "
                    + "accuracy at 0.5 %.4f", trainEvents, testEvents, botShare * 100, rocAuc, accuracy);
        }
    }

    private DemoModelTrainer() {
    }

    /** Trains and exports {@code <base>/clickstream-bot/<version>}, replacing that version if it exists. */
    static Report trainAndExport(Path base, long version) throws IOException {
        Dataset train = generate(1, TRAIN_EVENTS);
        Dataset test = generate(2, TEST_EVENTS);
        float[] weights = train(train);
        Path target = base.resolve(MODEL).resolve(Long.toString(version));
        FileSystemUtils.deleteRecursively(target);
        Files.createDirectories(target.getParent());
        export(weights, target);
        float[] scores = score(target, test.x());
        double positives = 0;
        for (float label : test.y()) {
            positives += label;
        }
        return new Report(train.y().length, test.y().length, positives / test.y().length, rocAuc(scores, test.y()),
                accuracy(scores, test.y()));
    }

    static Dataset generate(long seed, int n) {
        Random steps = new Random(seed);
        long[] now = {1_767_225_600_000L};
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, () -> now[0] += steps.nextInt(3_000), 0);
        float[][] x = new float[n][];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            DemoEvent event = simulator.next();
            x[i] = OfflineFeatures.of(new String(event.value(), StandardCharsets.UTF_8));
            y[i] = event.bot() ? 1 : 0;
        }
        return new Dataset(x, y);
    }

    /** @return the F weights followed by the bias */
    static float[] train(Dataset data) {
        int f = FeatureSchema.SIZE;
        float[][] labels = new float[data.y().length][1];
        for (int i = 0; i < labels.length; i++) {
            labels[i][0] = data.y()[i];
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
            try (TFloat32 xs = TFloat32.tensorOf(StdArrays.ndCopyOf(data.x()));
                    TFloat32 ys = TFloat32.tensorOf(StdArrays.ndCopyOf(labels))) {
                for (int step = 0; step < STEPS; step++) {
                    session.runner().feed(x, xs).feed(y, ys).addTarget(stepW).addTarget(stepB).run().close();
                }
            }
            try (Result result = session.runner().fetch(w).fetch(b).run()) {
                TFloat32 trainedW = (TFloat32) result.get(0);
                TFloat32 trainedB = (TFloat32) result.get(1);
                float[] weights = new float[f + 1];
                for (int j = 0; j < f; j++) {
                    weights[j] = trainedW.getFloat(j, 0);
                }
                weights[f] = trainedB.getFloat(0);
                return weights;
            }
        }
    }

    static void export(float[] weights, Path directory) throws IOException {
        int f = FeatureSchema.SIZE;
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

    static double rocAuc(float[] scores, float[] labels) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1f) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static double accuracy(float[] scores, float[] labels) {
        int right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += (scores[i] >= 0.5f) == (labels[i] == 1f) ? 1 : 0;
        }
        return (double) right / scores.length;
    }
}
