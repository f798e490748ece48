package io.streaminference.delivery;

import io.streaminference.roles.ConditionalOnRoleUsing;
import io.streaminference.roles.Role;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Says plainly at startup whether the broker is reachable. The app never waits for Kafka: admin calls are
 * bounded and the listeners keep reconnecting, so an unreachable broker is a warning, not a hang.
 */
@ConditionalOnRoleUsing(Role.Service.KAFKA)
@Component
class KafkaConnectivityReporter {

    private static final Logger log = LoggerFactory.getLogger(KafkaConnectivityReporter.class);
    private static final long TIMEOUT_MS = 5_000;

    private final KafkaAdmin admin;

    KafkaConnectivityReporter(KafkaAdmin admin) {
        this.admin = admin;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        Object servers = admin.getConfigurationProperties().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        AdminClient client = AdminClient.create(admin.getConfigurationProperties());
        try {
            String clusterId = client.describeCluster().clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("Connected to Kafka cluster {} at {}", clusterId, servers);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Kafka at {} is not reachable ({}); listeners keep retrying and the stages start when it is "
                    + "(check spring.kafka.bootstrap-servers)", servers, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // close() would otherwise wait for the abandoned call's own, longer timeout.
            client.close(Duration.ofSeconds(1));
        }
    }
}
