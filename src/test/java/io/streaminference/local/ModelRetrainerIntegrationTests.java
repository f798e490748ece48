package io.streaminference.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.Features;
import io.streaminference.contract.Label;
import io.streaminference.lifecycle.TfRecordWriter;
import io.streaminference.lifecycle.TrainingExamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining from an export: the candidate trained on labelled examples in the export's format becomes version 2 of
 * the model's base path with its metadata — held-out metrics of itself and of the served version 1 on the same slice —
 * and the TensorFlow-backed model server serves it beside version 1 without a restart.
 */
class ModelRetrainerIntegrationTests {

    @Test
    void exportsTheCandidateAsTheNextVersionWithBothVersionsHeldOutMetrics(@TempDir Path dir) throws IOException {
        Path models = dir.resolve("models");
        ModelFiles.copy(Path.of("models", DemoModelTrainer.EVENT_MODEL, "1"), models.resolve(DemoModelTrainer.EVENT_MODEL)
                .resolve("1"));
        Path data = dir.resolve("training-data");
        Files.createDirectories(data);
        DemoTraffic traffic = DemoTraffic.generate(3, 12_000);
        float[] labels = traffic.eventLabels();
        try (TfRecordWriter out = new TfRecordWriter(Files.newOutputStream(data.resolve("events.tfrecord")))) {
            for (int i = 0; i < traffic.events().size(); i++) {
                Features event = traffic.events().get(i);
                Label label = Label.newBuilder().setEventId(event.getEventId()).setEntityKey(event.getEntityKey())
                        .setLabel(labels[i] == 1f ? "bot" : "human").build();
                out.write(TrainingExamples.event(event, label, "bot").toByteArray());
            }
        }

        ModelRetrainer.Result result = ModelRetrainer.retrain(data, models, DemoModelTrainer.EVENT_MODEL, null);

        assertThat(result.version()).isEqualTo(2);
        assertThat(result.servedVersion()).isEqualTo(1);
        assertThat(result.trainRows() + result.heldOutRows()).isEqualTo(traffic.events().size());
        assertThat(result.heldOutRows()).isBetween(traffic.events().size() / 6, traffic.events().size() / 4);
        assertThat(result.candidate().auc()).isGreaterThan(0.75);
        assertThat(result.served().auc()).isNotNull();
        Path version = models.resolve(DemoModelTrainer.EVENT_MODEL).resolve("2");
        assertThat(version.resolve("saved_model.pb")).exists();
        Map<?, ?> metadata = new ObjectMapper().readValue(version.resolve("assets.extra").resolve("training.json")
                .toFile(), Map.class);
        assertThat(metadata.get("served_version")).isEqualTo(1);
        assertThat(metadata.get("feature_schema_version")).isEqualTo(1);
        assertThat(String.valueOf(metadata.get("held_out_metrics"))).contains("auc=", "logLoss=", "accuracy=");
        assertThat(String.valueOf(metadata.get("served_version_held_out_metrics"))).contains("auc=");

        try (ModelRepository repository = new ModelRepository(models, Duration.ofMinutes(1))) {
            assertThat(repository.models().get(DemoModelTrainer.EVENT_MODEL).byVersion()).containsOnlyKeys(1L, 2L);
        }
    }
}
