package io.streaminference.delivery;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code kafkaListeners}: DOWN when a stage's consumers stopped for good — a fatal consumer error
 * (no offset and no reset policy, a fenced group instance, an {@link Error}) stops the whole container, and nothing
 * restarts it. A container paused by its breaker is UP ("paused"): it waits out an outage and resumes by itself.
 * Part of the liveness group, because a restart is what brings such consumers back. Before the app has started its
 * containers, and after they stopped normally at shutdown, it is UP.
 */
@Component("kafkaListeners")
class ListenersHealthIndicator extends AbstractHealthIndicator {

    private final KafkaListenerEndpointRegistry registry;
    private volatile boolean started;

    ListenersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        super("Kafka listener health check failed");
        this.registry = registry;
    }

    @EventListener(ApplicationStartedEvent.class)
    void containersStarted() {
        started = true;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> states = new TreeMap<>();
        boolean healthy = true;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            String state = state(container);
            healthy &= !state.startsWith("stopped");
            states.put(container.getListenerId(), state);
        }
        (healthy ? builder.up() : builder.down()).withDetails(states);
    }

    private String state(MessageListenerContainer container) {
        if (!started) {
            return "starting";
        }
        if (!container.isRunning()) {
            return container.isInExpectedState() ? "not running" : "stopped after a fatal consumer error";
        }
        List<? extends MessageListenerContainer> consumers = container instanceof ConcurrentMessageListenerContainer<?, ?> c
                ? c.getContainers() : List.of(container);
        long stopped = consumers.stream().filter(consumer -> !consumer.isRunning()).count();
        if (stopped > 0) {
            return "stopped: " + stopped + " of " + consumers.size() + " consumers";
        }
        return container.isPauseRequested() ? "paused" : "running";
    }
}
