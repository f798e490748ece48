package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.breaker.BreakerProperties;
import io.streaminference.deadletter.RedriveProperties;
import io.streaminference.delivery.DeliveryProperties;
import io.streaminference.inference.InferenceProperties;
import io.streaminference.preprocess.PreprocessProperties;
import io.streaminference.sessions.SessionsProperties;
import io.streaminference.sink.SinkProperties;
import io.streaminference.topics.TopicsProperties;
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
    @EnableConfigurationProperties({TopicsProperties.class, DeliveryProperties.class, SessionsProperties.class,
            RedriveProperties.class,
            PreprocessProperties.class, InferenceProperties.class, SinkProperties.class, BreakerProperties.class,
            io.streaminference.evaluation.EvaluationProperties.class})
    static class AllProperties {
    }

    private static final String[] VALID = {
            "pipeline.topics.events=s0", "pipeline.topics.features=s1", "pipeline.topics.predictions=s2",
            "pipeline.topics.dead-letter-suffix=-dlt", "pipeline.topics.partitions=6",
            "pipeline.topics.replication-factor=1", "pipeline.kafka.send-timeout=15s",
            "pipeline.preprocess.max-event-bytes=65536", "pipeline.preprocess.max-nesting-depth=8",
            "pipeline.inference.models.events.name=m", "pipeline.inference.models.events.signature-name=serving_default",
            "pipeline.inference.models.events.input-name=features", "pipeline.inference.models.events.output-name=scores",
            "pipeline.inference.models.events.labels=human,bot", "pipeline.inference.models.events.threshold=0.5",
            "pipeline.inference.models.sessions.name=s", "pipeline.inference.models.sessions.signature-name=serving_default",
            "pipeline.inference.models.sessions.input-name=features", "pipeline.inference.models.sessions.output-name=scores",
            "pipeline.inference.models.sessions.labels=human,bot", "pipeline.inference.models.sessions.threshold=0.5",
            "pipeline.sessions.enabled=true", "pipeline.sessions.inactivity-gap=30m", "pipeline.sessions.grace=1m",
            "pipeline.sessions.emit-every=0", "pipeline.redrive.time-limit=5m",
            "pipeline.topics.sessions=s1-sessions", "pipeline.topics.session-predictions=s2-sessions",
            "pipeline.topics.labels=labels", "pipeline.topics.evaluations=evaluations",
            "pipeline.topics.shadow-predictions=s2-shadow",
            "pipeline.evaluation.application-id=stream-inference-evaluation", "pipeline.evaluation.join-window=2m",
            "pipeline.evaluation.window-size=10000",
            "pipeline.inference.max-batch-size=256", "pipeline.inference.max-in-flight=2",
            "pipeline.inference.deadline=2s", "pipeline.sink.key-prefix=si:", "pipeline.sink.ttl=7d",
            "pipeline.sink.bucket-period=1d", "pipeline.sink.entity-history-size=100", "pipeline.kafka.delivery=exactly-once",
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
            "pipeline.inference.models.events.threshold=1.5|pipeline.inference.models.events.threshold",
            "pipeline.inference.models.sessions.labels=bot|pipeline.inference.models.sessions.labels",
            "pipeline.inference.models.events.name=|pipeline.inference.models.events.name",
            "pipeline.sessions.inactivity-gap=0s|pipeline.sessions.inactivity-gap",
            "pipeline.sessions.emit-every=1|pipeline.sessions.emit-every",
            "pipeline.redrive.time-limit=0s|pipeline.redrive.time-limit",
            "pipeline.topics.sessions=bad topic|pipeline.topics.sessions",
            "pipeline.topics.events=bad topic|pipeline.topics.events",
            "pipeline.topics.partitions=0|pipeline.topics.partitions",
            "pipeline.kafka.send-timeout=0s|pipeline.kafka.send-timeout",
            "pipeline.sink.entity-history-size=0|pipeline.sink.entity-history-size",
            "pipeline.sink.bucket-period=8d|pipeline.sink.bucketPeriodWithinTtl",
            "pipeline.sink.bucket-period=1h|pipeline.sink.bucketPeriodWithinTtl",
            "pipeline.preprocess.max-event-bytes=10|pipeline.preprocess.max-event-bytes",
            "pipeline.kafka.delivery=sometimes|pipeline.kafka.delivery",
            "pipeline.breaker.probe-interval=1m|pipeline.breaker.probe-interval",
            "pipeline.inference.models.events.canary.share=1.5|pipeline.inference.models.events.canary.share",
            "pipeline.evaluation.join-window=0s|pipeline.evaluation.join-window",
            "pipeline.evaluation.window-size=1|pipeline.evaluation.window-size",
            "pipeline.topics.min-insync-replicas=2|pipeline.topics.minInsyncReplicasWithinReplicationFactor"})
    void failsStartupNamingTheBadProperty(String setting, String property) {
        // Somewhere in the failure chain, as Boot's startup failure report shows it.
        runner.withPropertyValues(setting).run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining(property));
    }

    @Test
    void refusesACanaryWithoutAStableLabelToSplitFrom() {
        runner.withPropertyValues("pipeline.inference.models.events.canary.label=canary",
                        "pipeline.inference.models.events.canary.share=0.1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("a canary (canary.share > 0) needs the stage pinned to a version-label"));
        runner.withPropertyValues("pipeline.inference.models.events.canary.label=canary",
                        "pipeline.inference.models.events.canary.share=0.1",
                        "pipeline.inference.models.events.version-label=stable")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesAVersionAndAVersionLabelTogether() {
        runner.withPropertyValues("pipeline.inference.models.sessions.version=3",
                        "pipeline.inference.models.sessions.version-label=stable")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("set version or version-label, not both"));
    }
}
