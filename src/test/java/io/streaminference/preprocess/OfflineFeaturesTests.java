package io.streaminference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streaminference.testing.ClickEvents;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/** Training and tests featurise events offline exactly as the stream does, with the limits the app ships with. */
class OfflineFeaturesTests {

    @Test
    void usesTheShippedLimits() throws Exception {
        var yaml = new YamlPropertySourceLoader().load("application", new FileSystemResource(Path.of("application.yml")))
                .get(0);
        assertThat(yaml.getProperty("pipeline.preprocess.max-event-bytes"))
                .isEqualTo(PreprocessProperties.DEFAULT_MAX_EVENT_BYTES);
        assertThat(yaml.getProperty("pipeline.preprocess.max-nesting-depth"))
                .isEqualTo(PreprocessProperties.DEFAULT_MAX_NESTING_DEPTH);
    }

    @Test
    void refusesWhatTheStreamWouldDeadLetter() {
        String tooLarge = ClickEvents.valid(1).replace("}", ",\"pad\":\"" + "x".repeat(70_000) + "\"}");
        assertThatThrownBy(() -> OfflineFeatures.of(tooLarge)).hasMessageStartingWith("too_large");
        String tooDeep = ClickEvents.valid(1).replace("}", ",\"x\":[[[[[[[[[1]]]]]]]]]}");
        assertThatThrownBy(() -> OfflineFeatures.of(tooDeep)).hasMessageStartingWith("too_deep");
        assertThat(OfflineFeatures.of(ClickEvents.valid(1))).hasSize(14);
    }

}
