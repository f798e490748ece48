package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisKeysTests {

    private final RedisKeys keys = new RedisKeys("si:");

    @Test
    void storesPredictionUnderEventIdAndIndexesItUnderEntityKey() {
        assertThat(new String(keys.prediction("evt-1"), StandardCharsets.UTF_8)).isEqualTo("si:prediction:evt-1");
        assertThat(new String(keys.entityIndex("user:7"), StandardCharsets.UTF_8)).isEqualTo("si:entity:user:7");
    }

    @Test
    void keepsPredictionAndEntityKeySpacesApart() {
        assertThat(keys.prediction("x")).isNotEqualTo(keys.entityIndex("x"));
        assertThat(new String(new RedisKeys("").prediction("x"), StandardCharsets.UTF_8)).isEqualTo("prediction:x");
    }
}
