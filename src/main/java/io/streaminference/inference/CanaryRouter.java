package io.streaminference.inference;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Who a canary scores: a fixed share of entities, chosen by a hash of the entity key — the same user always on the
 * same side, on every instance and after every restart, so a user's predictions never flip between versions and the
 * canary's online metrics judge whole users. Raising the share only adds users to the canary.
 */
final class CanaryRouter {

    static final int BUCKETS = 10_000;

    private final int canaryBuckets;

    CanaryRouter(double share) {
        this.canaryBuckets = (int) Math.round(share * BUCKETS);
    }

    boolean canary(String entityKey) {
        if (canaryBuckets == 0 || entityKey == null) {
            return false;
        }
        // murmur2, as Kafka's partitioner: stable across JVMs, unlike String.hashCode's spread over small key sets.
        return Utils.toPositive(Utils.murmur2(entityKey.getBytes(StandardCharsets.UTF_8))) % BUCKETS < canaryBuckets;
    }
}
