package io.streaminference.evaluation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streaminference.inference.InferenceProperties;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sessions.SessionsProperties;
import io.streaminference.topics.TopicsProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The evaluation stage: the {@link EvaluationTopology} on its own Kafka Streams instance ({@link EvaluationStreams}),
 * and the online metrics
 * of each model version ({@link EvaluationWindows}, fed by {@link EvaluationFeed}) as meters and for the API. On
 * with {@code pipeline.evaluation.enabled=true}; off by default (its cost: docs/benchmarks.md).
 */
@ConditionalOnRole(Role.EVALUATION)
@Configuration(proxyBeanMethods = false)
@Conditional(EvaluationEnabled.class)
class EvaluationConfiguration {

    @Bean
    LabelCheck labelCheck(InferenceProperties inference) {
        return new LabelCheck(inference.models().events().labels(), inference.models().sessions().labels());
    }

    @Bean
    EvaluationStreams evaluationStreams(KafkaProperties kafka, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<StreamsBuilderFactoryBeanConfigurer> configurers, LabelCheck check,
            EvaluationProperties evaluation, SessionsProperties sessions, TopicsProperties topics,
            MeterRegistry registry) {
        var settings = new EvaluationTopology.Settings(topics.predictions(),
                sessions.enabled() ? topics.sessionPredictions() : null, topics.shadowPredictions(), topics.labels(),
                topics.deadLetterOf(topics.labels()), topics.evaluations(), evaluation.joinWindow());
        return new EvaluationStreams(kafka.buildStreamsProperties(sslBundles.getIfAvailable()),
                evaluation.applicationId(), configurers.orderedStream().toList(),
                builder -> EvaluationTopology.build(builder, settings, check, counters(registry)));
    }

    @Bean("evaluation")
    EvaluationHealthIndicator evaluationHealthIndicator(EvaluationStreams streams) {
        return new EvaluationHealthIndicator(streams);
    }

    @Bean
    EvaluationWindows evaluationWindows(EvaluationProperties evaluation, MeterRegistry registry) {
        return new EvaluationWindows(evaluation.windowSize(),
                (windows, model, version) -> register(registry, windows, model, version));
    }

    @Bean
    EvaluationFeed evaluationFeed(ConsumerFactory<?, ?> consumers, TopicsProperties topics, EvaluationWindows windows,
            MeterRegistry registry) {
        Counter undecodable = Counter.builder("pipeline.evaluation.undecodable")
                .description("Records of the evaluations topic that are not an Evaluation (left out of the metrics)")
                .register(registry);
        return new EvaluationFeed(consumers.getConfigurationProperties(), topics.evaluations(), windows,
                undecodable::increment);
    }

    private static void register(MeterRegistry registry, EvaluationWindows windows, String model, long version) {
        Tags tags = Tags.of("model", model, "version", Long.toString(version));
        gauge(registry, "pipeline.evaluation.auc", "ROC AUC over the version's window of labelled predictions", tags,
                windows, model, version, m -> m.auc() == null ? Double.NaN : m.auc());
        gauge(registry, "pipeline.evaluation.accuracy", "Share of the window whose predicted label was the label",
                tags, windows, model, version, m -> m.accuracy() == null ? Double.NaN : m.accuracy());
        gauge(registry, "pipeline.evaluation.log.loss", "Mean cross-entropy of the scores over the window", tags,
                windows, model, version, m -> m.logLoss() == null ? Double.NaN : m.logLoss());
        gauge(registry, "pipeline.evaluation.window", "Labelled predictions the version's metrics cover", tags,
                windows, model, version, OnlineMetrics::window);
        FunctionCounter.builder("pipeline.evaluation.labelled", windows,
                        w -> metricOf(w, model, version, m -> m.labelled()))
                .description("Labelled predictions of the version read from the evaluations topic").tags(tags)
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags,
            EvaluationWindows windows, String model, long version, ToDoubleFunction<OnlineMetrics> value) {
        Gauge.builder(name, windows, w -> metricOf(w, model, version, value)).description(description).tags(tags)
                .register(registry);
    }

    private static double metricOf(EvaluationWindows windows, String model, long version,
            ToDoubleFunction<OnlineMetrics> value) {
        OnlineMetrics metrics = windows.metrics(model, version);
        return metrics == null ? Double.NaN : value.applyAsDouble(metrics);
    }

    /** Counted as the stage processes; with exactly-once a retried transaction counts its records again. */
    private static JoinCounters counters(MeterRegistry registry) {
        Counter predictions = Counter.builder("pipeline.evaluation.predictions")
                .description("Predictions that entered the join to wait for their label").register(registry);
        Counter labels = Counter.builder("pipeline.evaluation.labels").tag("outcome", "in")
                .description("Labels by outcome: in (entered the join), matched, unmatched (no prediction within "
                        + "the join window)").register(registry);
        Counter matched = Counter.builder("pipeline.evaluation.labels").tag("outcome", "matched").register(registry);
        Counter unmatched = Counter.builder("pipeline.evaluation.labels").tag("outcome", "unmatched")
                .register(registry);
        Counter in = Counter.builder("pipeline.records.in").tag("stage", EvaluationTopology.STAGE)
                .description("Records consumed by the stage").register(registry);
        Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
        return new JoinCounters() {
            @Override
            public void prediction() {
                in.increment();
                predictions.increment();
            }

            @Override
            public void label() {
                in.increment();
                labels.increment();
            }

            @Override
            public void matched() {
                matched.increment();
            }

            @Override
            public void unmatchedLabel() {
                unmatched.increment();
            }

            @Override
            public void deadLetter(String reason) {
                in.increment();
                deadLetters.computeIfAbsent(reason, r -> Counter.builder("pipeline.records.dead.lettered")
                        .tag("stage", EvaluationTopology.STAGE).tag("reason", r)
                        .description("Records sent to a dead-letter topic, counted once their batch committed")
                        .register(registry)).increment();
            }
        };
    }
}
