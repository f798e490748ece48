package io.streaminference.delivery;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer settings for readers that assign partitions themselves and keep no offsets — the evaluation feed, the
 * training export: the app's consumer settings (bootstrap servers, security) without its group, committed records
 * only (a transaction that aborts never reaches a metric or a training file).
 */
public final class GroupLessReaders {

    private GroupLessReaders() {
    }

    public static Map<String, Object> config(Map<String, Object> consumerConfig, String clientId) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}
