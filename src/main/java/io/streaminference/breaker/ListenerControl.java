package io.streaminference.breaker;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/** Pauses and resumes a stage's listener container by its listener id (looked up late: containers start last). */
@Component
public class ListenerControl {

    private final KafkaListenerEndpointRegistry registry;

    ListenerControl(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    public Runnable pause(String listenerId) {
        return () -> container(listenerId).pause();
    }

    public Runnable resume(String listenerId) {
        return () -> container(listenerId).resume();
    }

    private MessageListenerContainer container(String listenerId) {
        MessageListenerContainer container = registry.getListenerContainer(listenerId);
        if (container == null) {
            throw new IllegalStateException("No listener container " + listenerId);
        }
        return container;
    }
}
