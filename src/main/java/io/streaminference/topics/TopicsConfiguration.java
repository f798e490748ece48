package io.streaminference.topics;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Declares the pipeline topics and their dead-letter topics so a fresh broker needs no manual setup. */
@Configuration(proxyBeanMethods = false)
class TopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics pipelineTopics(TopicsProperties topics) {
        List<NewTopic> all = new ArrayList<>();
        for (String name : List.of(topics.events(), topics.features(), topics.predictions())) {
            all.add(topic(name, topics));
            // Same partition count as the source so a dead letter keeps its record's partition.
            all.add(topic(topics.deadLetterOf(name), topics));
        }
        return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, TopicsProperties topics) {
        return TopicBuilder.name(name)
                .partitions(topics.partitions())
                .replicas(topics.replicationFactor())
                .build();
    }
}
