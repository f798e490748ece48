package io.streaminference.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsPropertiesTests {

    @Test
    void minInsyncReplicasDefaultsToTwoFromAReplicationFactorOfThree() {
        assertThat(topics((short) 3, null).effectiveMinInsyncReplicas()).isEqualTo(2);
        assertThat(topics((short) 1, null).effectiveMinInsyncReplicas()).as("the broker's default").isNull();
        assertThat(topics((short) 5, 3).effectiveMinInsyncReplicas()).isEqualTo(3);
    }

    private static TopicsProperties topics(short replicationFactor, Integer minInsyncReplicas) {
        return new TopicsProperties("s0", "s1", "s2", "s1-sessions", "s2-sessions", "labels", "evaluations",
                "s2-shadow", "-dlt", 6, replicationFactor, minInsyncReplicas);
    }
}
