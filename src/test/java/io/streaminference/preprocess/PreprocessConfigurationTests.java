package io.streaminference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.topics.TopicsProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The s0 stage's limits must leave every accepted-size event room to become a dead letter whole. */
class PreprocessConfigurationTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({PreprocessProperties.class, TopicsProperties.class})
    @Import(PreprocessConfiguration.class)
    static class Stage {

        @Bean
        DeadLetters deadLetters(TopicsProperties topics,
                org.springframework.kafka.core.ProducerFactory<?, ?> producers) {
            Object max = producers.getConfigurationProperties().get("max.request.size");
            return new DeadLetters(topics, max == null ? 1_048_576 : Integer.parseInt(max.toString()));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RecordTracing recordTracing() {
            return RecordTracing.OFF;
        }
    }

    private final ApplicationContextRunner shipped = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(Stage.class);

    @Test
    void startsWithTheShippedLimits() {
        shipped.run(context -> assertThat(context).hasNotFailed().hasSingleBean(PreprocessStage.class));
    }

    @Test
    void refusesAnEventLimitLargerThanADeadLetterCanCarryNamingBothSettings() {
        shipped.withPropertyValues("pipeline.preprocess.max-event-bytes=2000000")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("pipeline.preprocess.max-event-bytes (2000000)")
                        .hasStackTraceContaining("max.request.size"));
        shipped.withPropertyValues("pipeline.preprocess.max-event-bytes=65536",
                        "spring.kafka.producer.properties.max.request.size=50000")
                .run(context -> assertThat(context).hasFailed());
    }
}
