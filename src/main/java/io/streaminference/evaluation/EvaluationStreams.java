package io.streaminference.evaluation;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * The evaluation stage's own Kafka Streams instance (Spring Kafka's {@link StreamsBuilderFactoryBean}, held here
 * rather than as a bean so that the session stage's stays the app's only one by type): its own application id —
 * consumer group, transactional ids and internal topics — so a missing labels topic, a rebalance or a failure of one
 * stage never stops the other, and each can scale on its own. Same client settings ({@code spring.kafka.streams.*},
 * exactly_once_v2) and the same configurers (metrics, thread replacement) as the session stage's.
 */
final class EvaluationStreams implements SmartLifecycle {

    private final StreamsBuilderFactoryBean factory;

    EvaluationStreams(Map<String, Object> streamsProperties, String applicationId,
            List<StreamsBuilderFactoryBeanConfigurer> configurers, Consumer<StreamsBuilder> topology) {
        Map<String, Object> properties = new java.util.HashMap<>(streamsProperties);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        this.factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(properties));
        configurers.forEach(configurer -> configurer.configure(factory));
        try {
            factory.afterPropertiesSet();
            topology.accept(factory.getObject());
            // What Spring does for a bean once all singletons exist: builds the Topology from the builder.
            factory.afterSingletonsInstantiated();
        } catch (Exception e) {
            throw new IllegalStateException("Could not build the evaluation stage's topology", e);
        }
    }

    @Override
    public void start() {
        factory.start();
    }

    @Override
    public void stop() {
        factory.stop();
    }

    @Override
    public boolean isRunning() {
        return factory.isRunning();
    }

    @Override
    public int getPhase() {
        return factory.getPhase();
    }

    KafkaStreams kafkaStreams() {
        return factory.getKafkaStreams();
    }
}
