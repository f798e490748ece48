package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.testing.SigmoidModelServer;
import io.streaminference.testing.StateDirs;
import io.streaminference.testing.TestRedis;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** With no broker at the configured address the app still starts, within its bounded admin timeouts, and is live. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StartupWithoutBrokerIntegrationTests {

    static final TestRedis redis = TestRedis.start();
    static final SigmoidModelServer model = SigmoidModelServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) throws Exception {
        int closedPort = TestRedis.freePort();
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + closedPort);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("grpc.client.tf-serving.address", () -> "static://127.0.0.1:" + model.port());
        registry.add("spring.kafka.streams.state-dir", StateDirs::fresh);
    }

    @AfterAll
    static void stop() {
        model.close();
        redis.stop();
    }

    @LocalManagementPort
    int managementPort;

    @Test
    void startsAndReportsLiveAndReadyWhileTheBrokerIsAway() {
        RestClient api = RestClient.create("http://127.0.0.1:" + managementPort);
        assertThat(api.get().uri("/actuator/health/liveness").retrieve().body(Map.class)).containsEntry("status", "UP");
        // Readiness follows Redis and the model server, which are up; the listeners keep reconnecting to Kafka.
        assertThat(api.get().uri("/actuator/health/readiness").retrieve().body(Map.class)).containsEntry("status", "UP");
    }
}
