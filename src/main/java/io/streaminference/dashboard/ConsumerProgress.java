package io.streaminference.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * How far behind each stage whose consumers run in this process is, and whether it runs: lag from its consumers'
 * own {@code records-lag} metrics (as of their latest fetch, no broker call), paused from the breaker's gauge, and
 * the session stage's Kafka Streams state.
 */
final class ConsumerProgress {

    static final String SESSIONS = "sessions";
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private final KafkaListenerEndpointRegistry listeners;
    private final Supplier<KafkaStreams> streams;
    private final MeterRegistry registry;

    ConsumerProgress(KafkaListenerEndpointRegistry listeners, Supplier<KafkaStreams> streams, MeterRegistry registry) {
        this.listeners = listeners;
        this.streams = streams;
        this.registry = registry;
    }

    Map<String, Long> lags() {
        Map<String, Long> lags = new HashMap<>();
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            if (container.isRunning()) {
                Long lag = 0L;
                for (Map<MetricName, ? extends Metric> metrics : container.metrics().values()) {
                    lag = add(lag, metrics);
                }
                lags.put(container.getListenerId(), lag);
            }
        }
        KafkaStreams sessions = streams.get();
        if (sessions != null && sessions.state().isRunningOrRebalancing()) {
            Map<MetricName, Metric> main = new HashMap<>();
            sessions.metrics().forEach((name, metric) -> {
                // The restore consumer reads changelogs, not the stage's input.
                if (!name.tags().getOrDefault("client-id", "").contains("restore")) {
                    main.put(name, metric);
                }
            });
            lags.put(SESSIONS, add(0L, main));
        }
        return lags;
    }

    /** Stages not simply running: paused by their breaker, or the session stage's Kafka Streams state. */
    Map<String, String> states() {
        Map<String, String> states = new HashMap<>();
        for (Gauge open : registry.find("pipeline.breaker.open").gauges()) {
            if (open.value() > 0) {
                states.put(open.getId().getTag("stage"), "paused");
            }
        }
        KafkaStreams sessions = streams.get();
        if (sessions != null && sessions.state() != KafkaStreams.State.RUNNING) {
            states.put(SESSIONS, sessions.state().name().toLowerCase());
        }
        return states;
    }

    private static Long add(Long lag, Map<MetricName, ? extends Metric> metrics) {
        long sum = lag;
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (name.group().equals(FETCH_GROUP) && name.name().equals("records-lag")
                    && name.tags().containsKey("partition")
                    && entry.getValue().metricValue() instanceof Number value
                    && Double.isFinite(value.doubleValue())) {
                sum += (long) value.doubleValue();
            }
        }
        return sum;
    }
}
