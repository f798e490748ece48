package io.streaminference.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.SessionSchema;
import io.streaminference.lifecycle.TfRecordReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;
import org.tensorflow.example.Example;
import org.tensorflow.example.Feature;

/**
 * The next model version from what the stream holds: trains on an export ({@code events.tfrecord} or
 * {@code sessions.tfrecord} of {@code ExportTrainingData}) with {@link DemoModelTrainer}'s logistic regression, judges
 * the candidate and the currently served version on the same held-out fifth of the examples (chosen by a hash of
 * their id), and exports the candidate as version N+1 of the model's base path — the SavedModel and, in
 * {@code assets.extra/training.json} (where TF Serving looks for nothing), the training range, rows, feature schema
 * version, both versions' held-out metrics. The version directory appears whole (written aside, then renamed), so a
 * model server polling the base path never loads half an export.
 *
 * <p>{@code ./mvnw -q test-compile exec:java@retrain-model -Dexec.args="retrain-model --local.model=clickstream-bot"}
 * ({@link LocalStack}'s {@code retrain-model} piece).
 */
final class ModelRetrainer {

    /** @param auc null when the held-out slice holds one class only */
    record Metrics(Double auc, double logLoss, double accuracy) {
    }

    record Result(String model, long version, long servedVersion, int trainRows, int heldOutRows, Metrics candidate,
            Metrics served) {
    }

    private ModelRetrainer() {
    }

    /**
     * @param servedVersion the version to compare with; null for the newest in the base path
     */
    static Result retrain(Path data, Path models, String model, Long servedVersion) throws IOException {
        boolean sessions = model.equals(DemoModelTrainer.SESSION_MODEL);
        List<String> names = sessions ? SessionSchema.NAMES : FeatureSchema.NAMES;
        List<float[]> trainRows = new ArrayList<>();
        List<Float> trainLabels = new ArrayList<>();
        List<float[]> testRows = new ArrayList<>();
        List<Float> testLabels = new ArrayList<>();
        Path file = data.resolve(sessions ? "sessions.tfrecord" : "events.tfrecord");
        try (TfRecordReader reader = new TfRecordReader(new BufferedInputStream(Files.newInputStream(file)))) {
            for (byte[] record = reader.next(); record != null; record = reader.next()) {
                Map<String, Feature> example = Example.parseFrom(record).getFeatures().getFeatureMap();
                float[] row = new float[names.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = example.get(names.get(j)).getFloatList().getValue(0);
                }
                float label = example.get("label").getInt64List().getValue(0);
                String id = example.get(sessions ? "session_id" : "event_id").getBytesList().getValue(0)
                        .toStringUtf8();
                boolean heldOut = Math.floorMod(id.hashCode() * 0x9E3779B9, 5) == 0;
                (heldOut ? testRows : trainRows).add(row);
                (heldOut ? testLabels : trainLabels).add(label);
            }
        }
        if (trainRows.isEmpty() || testRows.isEmpty()) {
            throw new IllegalStateException(file + " holds too few labelled examples to train and judge a model");
        }
        Path base = models.resolve(model);
        long newest = versions(base).stream().mapToLong(Long::longValue).max().orElse(0);
        long served = servedVersion != null ? servedVersion : newest;
        long next = newest + 1;
        float[][] test = testRows.toArray(float[][]::new);
        float[] truth = toArray(testLabels);

        Path aside = base.resolve(".export-" + next);
        FileSystemUtils.deleteRecursively(aside);
        DemoModelTrainer.export(DemoModelTrainer.train(trainRows.toArray(float[][]::new), toArray(trainLabels)),
                aside);
        Metrics candidate = metrics(DemoModelTrainer.score(aside, test), truth);
        Metrics current = served > 0 ? metrics(DemoModelTrainer.score(base.resolve(Long.toString(served)), test),
                truth) : null;

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("model", model);
        metadata.put("version", next);
        metadata.put("trained_at", Instant.now().toString());
        Path manifest = data.resolve("export.json");
        metadata.put("training_data", Files.exists(manifest) ? new ObjectMapper().readValue(manifest.toFile(), Map.class)
                : Map.of("file", file.toString()));
        metadata.put("feature_schema_version", sessions ? SessionSchema.VERSION : FeatureSchema.VERSION);
        metadata.put("train_rows", trainRows.size());
        metadata.put("held_out_rows", testRows.size());
        metadata.put("held_out_metrics", candidate);
        metadata.put("served_version", served);
        metadata.put("served_version_held_out_metrics", current);
        Files.createDirectories(aside.resolve("assets.extra"));
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(aside.resolve("assets.extra")
                .resolve("training.json").toFile(), metadata);
        Files.move(aside, base.resolve(Long.toString(next)), StandardCopyOption.ATOMIC_MOVE);
        return new Result(model, next, served, trainRows.size(), testRows.size(), candidate, current);
    }

    static Metrics metrics(float[] scores, float[] labels) {
        double loss = 0;
        int right = 0;
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]));
            loss -= labels[i] == 1f ? Math.log(p) : Math.log(1 - p);
            right += (scores[i] >= 0.5f) == (labels[i] == 1f) ? 1 : 0;
            positives += labels[i] == 1f ? 1 : 0;
        }
        Double auc = positives == 0 || positives == scores.length ? null : ModelComparison.rocAuc(scores, labels);
        return new Metrics(auc, loss / scores.length, (double) right / scores.length);
    }

    private static List<Long> versions(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(base)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,18}"))
                    .map(Long::valueOf).toList();
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
