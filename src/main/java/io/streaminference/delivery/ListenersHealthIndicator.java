package io.streaminference.delivery;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/** Health contributor {@code kafkaListeners}: UP while every stage's listener container is running. */
@Component("kafkaListeners")
class ListenersHealthIndicator extends AbstractHealthIndicator {

    private final KafkaListenerEndpointRegistry registry;

    ListenersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        super("Kafka listener health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> states = new TreeMap<>();
        boolean allRunning = true;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            boolean running = container.isRunning();
            allRunning &= running;
            states.put(container.getListenerId(), running ? (container.isPauseRequested() ? "paused" : "running")
                    : "stopped");
        }
        (allRunning ? builder.up() : builder.down()).withDetails(states);
    }
}
