package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * A listener whose consumers stopped for good (here: no committed offset and no reset policy, a fatal error for the
 * consumer) is reported: the app is not healthy, and its liveness fails so that the kubelet restarts it. Authorization
 * errors, the usual way to lose a consumer, are retried instead of stopping it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.consumer.auto-offset-reset=none", "pipeline.topics.partitions=1"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ListenerHealthIntegrationTests extends PipelineTestSupport {

    @LocalManagementPort
    int managementPort;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void reportsConsumersThatStoppedForGoodAsDown() {
        RestClient api = io.streaminference.testing.Management.operator(managementPort);
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            Map<?, ?> health = api.get().uri("/actuator/health").retrieve()
                    .onStatus(HttpStatusCode::isError, (request, response) -> { }).body(Map.class);
            Map<?, ?> kafkaListeners = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("kafkaListeners");
            assertThat(kafkaListeners.get("status")).isEqualTo("DOWN");
            assertThat(String.valueOf(((Map<?, ?>) kafkaListeners.get("details")).get("preprocess"))).startsWith("stopped");
        });
        Map<?, ?> liveness = api.get().uri("/actuator/health/liveness").retrieve()
                .onStatus(HttpStatusCode::isError, (request, response) -> { }).body(Map.class);
        assertThat(liveness.get("status")).isEqualTo("DOWN");
    }

    @Test
    void retriesAuthorizationErrorsInsteadOfStoppingTheConsumers() {
        assertThat(listeners.getListenerContainers()).allSatisfy(container -> assertThat(container
                .getContainerProperties().getAuthExceptionRetryInterval()).isEqualTo(Duration.ofSeconds(10)));
    }
}
