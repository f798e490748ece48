package io.streaminference.topics;

import io.streaminference.roles.ConditionalOnRoleUsing;
import io.streaminference.roles.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/** The pipeline topics and their dead-letter topics, created when missing ({@link TopicCreator}). */
@ConditionalOnRoleUsing(Role.Service.KAFKA)
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    /** Kafka's producer default for max.request.size. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    @Bean
    @ConditionalOnProperty(name = "spring.kafka.admin.auto-create", matchIfMissing = true)
    TopicCreator topicCreator(TopicsProperties topics, KafkaAdmin admin, KafkaProperties kafka,
            ProducerFactory<?, ?> producers) {
        // A dead-letter topic takes any record the producer may send, so a dead letter is never refused for its size.
        String maxMessageBytes = String.valueOf(maxRequestSize(producers.getConfigurationProperties()));
        Map<String, String> common = new HashMap<>();
        Integer minInsync = topics.effectiveMinInsyncReplicas();
        if (minInsync != null) {
            common.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync.toString());
        }
        Map<String, String> deadLetters = new HashMap<>(common);
        deadLetters.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes);
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : topics.consumed()) {
            wanted.add(new NewTopic(name, topics.partitions(), topics.replicationFactor()).configs(common));
            wanted.add(new NewTopic(topics.deadLetterOf(name), topics.partitions(), topics.replicationFactor())
                    .configs(deadLetters));
        }
        // Read only by the evaluation stage (Kafka Streams), which counts what it cannot use: no dead-letter topics.
        wanted.add(new NewTopic(topics.evaluations(), topics.partitions(), topics.replicationFactor()).configs(common));
        wanted.add(new NewTopic(topics.shadowPredictions(), topics.partitions(), topics.replicationFactor())
                .configs(common));
        Duration timeout = kafka.getAdmin().getOperationTimeout() == null ? Duration.ofSeconds(30)
                : kafka.getAdmin().getOperationTimeout();
        return new TopicCreator(admin.getConfigurationProperties(), wanted, timeout, kafka.getAdmin().isFailFast());
    }

    static int maxRequestSize(Map<String, Object> producerConfig) {
        Object value = producerConfig.get("max.request.size");
        return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().trim());
    }
}
