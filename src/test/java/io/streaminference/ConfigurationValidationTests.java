package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.inference.InferenceProperties;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.topics.TopicsProperties;
import io.streaminference.preprocess.PreprocessProperties;
import io.streaminference.sink.SinkProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A bad pipeline.* value stops startup with a message naming the property. */
class ConfigurationValidationTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({TopicsProperties.class, DeliveryProperties.class,
            PreprocessProperties.class, InferenceProperties.class, SinkProperties.class, BreakerProperties.class})
    static class AllProperties {
    }

    private static final String[] VALID = {
            "pipeline.topics.events=s0", "pipeline.topics.features=s1", "pipeline.topics.predictions=s2",
            "pipeline.topics.dead-letter-suffix=-dlt", "pipeline.topics.partitions=6",
            "pipeline.topics.replication-factor=1", "pipeline.kafka.send-timeout=15s",
            "pipeline.preprocess.max-event-bytes=65536", "pipeline.preprocess.max-nesting-depth=8",
            "pipeline.inference.model.name=m", "pipeline.inference.model.signature-name=serving_default",
            "pipeline.inference.model.input-name=features", "pipeline.inference.model.output-name=scores",
            "pipeline.inference.max-batch-size=256", "pipeline.inference.max-in-flight=2",
            "pipeline.inference.deadline=2s", "pipeline.inference.labels=human,bot",
            "pipeline.inference.threshold=0.5", "pipeline.sink.key-prefix=si:", "pipeline.sink.ttl=7d",
            "pipeline.sink.entity-history-size=100", "pipeline.kafka.delivery=exactly-once",
            "pipeline.breaker.failure-threshold=3", "pipeline.breaker.probe-interval=2s"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(AllProperties.class)
            .withPropertyValues(VALID);

    @Test
    void startsWithTheDocumentedDefaults() {
        runner.run(context -> assertThat(context).hasNotFailed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pipeline.inference.max-batch-size=0|pipeline.inference.max-batch-size",
            "pipeline.inference.deadline=1ms|pipeline.inference.deadline",
            "pipeline.inference.threshold=1.5|pipeline.inference.threshold",
            "pipeline.inference.labels=bot|pipeline.inference.labels",
            "pipeline.inference.model.name=|pipeline.inference.model.name",
            "pipeline.topics.events=bad topic|pipeline.topics.events",
            "pipeline.topics.partitions=0|pipeline.topics.partitions",
            "pipeline.kafka.send-timeout=0s|pipeline.kafka.send-timeout",
            "pipeline.sink.entity-history-size=0|pipeline.sink.entity-history-size",
            "pipeline.preprocess.max-event-bytes=10|pipeline.preprocess.max-event-bytes",
            "pipeline.kafka.delivery=sometimes|pipeline.kafka.delivery",
            "pipeline.breaker.probe-interval=1m|pipeline.breaker.probe-interval"})
    void failsStartupNamingTheBadProperty(String setting, String property) {
        // Somewhere in the failure chain, as Boot's startup failure report shows it.
        runner.withPropertyValues(setting).run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining(property));
    }

    @Test
    void refusesAVersionAndAVersionLabelTogether() {
        runner.withPropertyValues("pipeline.inference.model.version=3",
                        "pipeline.inference.model.version-label=stable")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("pipeline.inference.model.version-label, not both"));
    }
}
