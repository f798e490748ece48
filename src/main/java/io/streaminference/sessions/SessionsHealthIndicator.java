package io.streaminference.sessions;

import io.streaminference.delivery.StreamsHealth;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code sessions}: the session stage's Kafka Streams state. Running or rebalancing is UP;
 * an instance whose threads all died (ERROR), or that stopped while it should run, is DOWN — part of the liveness
 * group, since a restart is what brings it back. With the stage switched off it is UP ("disabled"), so the probe
 * groups need not change with the setting.
 */
@ConditionalOnRole(Role.SESSIONS)
@Component("sessions")
class SessionsHealthIndicator extends AbstractHealthIndicator {

    private final ObjectProvider<StreamsBuilderFactoryBean> streams;

    SessionsHealthIndicator(ObjectProvider<StreamsBuilderFactoryBean> streams) {
        super("Session stage health check failed");
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StreamsBuilderFactoryBean factory = streams.getIfAvailable();
        if (factory == null) {
            builder.up().withDetail("state", "disabled");
            return;
        }
        KafkaStreams kafkaStreams = factory.getKafkaStreams();
        KafkaStreams.State state = kafkaStreams == null ? KafkaStreams.State.CREATED : kafkaStreams.state();
        boolean healthy = StreamsHealth.healthy(state, factory.isRunning());
        (healthy ? builder.up() : builder.down()).withDetail("state", state.name());
    }
}
