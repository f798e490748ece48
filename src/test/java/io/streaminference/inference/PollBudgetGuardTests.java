package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.delivery.DeliveryProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The startup check of the poll budget against the effective client settings, starting from the shipped
 * application.yml (loaded by Spring's own config-data loading, so these tests see what the app sees).
 */
class PollBudgetGuardTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({InferenceProperties.class, DeliveryProperties.class})
    @Import(PollBudgetGuard.class)
    static class Guarded {
    }

    private final ApplicationContextRunner shipped = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(Guarded.class);

    @Test
    void acceptsTheShippedDefaults() {
        shipped.run(context -> assertThat(context).hasNotFailed().hasSingleBean(PollBudgetGuard.class));
    }

    @Test
    void refusesTheShippedDefaultsWithTheTransactionTimeoutTheyUsedToHave() {
        shipped.withPropertyValues("spring.kafka.producer.properties.transaction.timeout.ms=120000")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("999 Predict calls").hasStackTraceContaining("transaction.timeout.ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring.kafka.properties.max.poll.records=2000",
            "spring.kafka.consumer.properties.max.poll.records=2000", "spring.kafka.consumer.max-poll-records=2000"})
    void readsMaxPollRecordsWhereverItIsSet(String setting) {
        shipped.withPropertyValues("spring.kafka.consumer.max-poll-records=", setting)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("max.poll.records (2000)"));
    }

    @Test
    void readsMaxPollIntervalFromTheConsumerProperties() {
        shipped.withPropertyValues("spring.kafka.consumer.properties.max.poll.interval.ms=60000")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("max.poll.interval.ms (60000 ms)"));
    }

    @Test
    void ignoresTheTransactionTimeoutAtLeastOnce() {
        shipped.withPropertyValues("pipeline.kafka.delivery=at-least-once",
                        "spring.kafka.producer.properties.transaction.timeout.ms=120000")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
