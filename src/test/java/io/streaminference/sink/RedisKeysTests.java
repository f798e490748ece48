package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisKeysTests {

    private final RedisKeys keys = new RedisKeys("si:");

    @Test
    void storesARecordInItsIdsShardAndIndexesItInItsEntitysShardOfTheBucket() {
        int shard = StoreBuckets.shard("evt-1");
        assertThat(text(keys.events().record("evt-1", 20_419))).isEqualTo("si:p:{" + shard + "}:20419");
        assertThat(text(keys.events().index("user:7", 20_419)))
                .isEqualTo("si:e:{" + StoreBuckets.shard("user:7") + "}:20419");
    }

    @Test
    void keepsEventAndSessionKeySpacesApart() {
        assertThat(text(keys.sessions().record("x", 1))).startsWith("si:sp:{");
        assertThat(text(keys.sessions().index("x", 1))).startsWith("si:se:{");
        assertThat(keys.events().record("x", 1)).isNotEqualTo(keys.events().index("x", 1));
    }

    @Test
    void namesTheKeysOfTheLayoutBeforeBucketsAsTheyWere() {
        assertThat(text(keys.events().legacyRecord("evt-1"))).isEqualTo("si:prediction:evt-1");
        assertThat(text(keys.events().legacyIndex("user:7"))).isEqualTo("si:entity:user:7");
        assertThat(text(keys.sessions().legacyRecord("s"))).isEqualTo("si:session:s");
        assertThat(text(keys.sessions().legacyIndex("u"))).isEqualTo("si:entity-sessions:u");
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
