package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.EventIdReader;
import io.streaminference.testing.KafkaTestClients;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.client.RestClient;

/**
 * Redriving dead letters over HTTP against the running app: idempotent (a retried or overlapping request replays each
 * letter once), original timestamp and headers kept, one redrive at a time, bad input answered 400 as problem details.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "pipeline.topics.partitions=1")
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class RedriveIntegrationTests extends PipelineTestSupport {

    // Recent: a replay keeps its original timestamp, and the broker's time retention (7 days) deletes a segment of
    // older ones at its next check - which had once removed the first replays of s0 before the test read them.
    static final long ORIGINAL_TIME = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();

    @LocalManagementPort
    int managementPort;
    @Autowired
    MeterRegistry meters;

    @Test
    void replaysEachLetterOnceHoweverOftenOrOverlappingItIsRequested() {
        List<String> ids = letters("again", 0, 50);

        assertThat(redrive(Map.of("topic", "s0-dlt")).getBody())
                .containsEntry("redriven", 50).containsEntry("alreadyRedriven", 0).containsEntry("complete", true);
        assertThat(redrive(Map.of("topic", "s0-dlt")).getBody())
                .containsEntry("redriven", 0).containsEntry("alreadyRedriven", 50);
        assertThat(redrive(Map.of("topic", "s0-dlt", "partition", 0, "fromOffset", 10, "toOffset", 20)).getBody())
                .containsEntry("redriven", 0).containsEntry("alreadyRedriven", 11);

        List<String> more = letters("again", 50, 20);
        assertThat(redrive(Map.of("topic", "s0-dlt")).getBody())
                .containsEntry("redriven", 20).containsEntry("alreadyRedriven", 50);

        List<String> all = java.util.stream.Stream.concat(ids.stream(), more.stream()).toList();
        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(all));
        Map<String, Long> copies = read(topics.features(), all.size(), Duration.ofSeconds(30), Duration.ofSeconds(1))
                .stream().map(r -> EventIdReader.ofFeatures(r.value())).filter(id -> id.startsWith("again-"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(copies.values()).containsOnly(1L);

        List<ConsumerRecord<byte[], byte[]>> replays = read(topics.events(), all.size(), Duration.ofSeconds(30),
                Duration.ZERO);
        assertThat(replays).hasSize(all.size()).allSatisfy(replay -> {
            assertThat(replay.timestamp()).isEqualTo(ORIGINAL_TIME);
            assertThat(header(replay, "traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            assertThat(replay.headers()).noneMatch(h -> h.key().startsWith("dlt-") || h.key().startsWith("kafka_dlt"));
        });
    }

    @Test
    void runsOneRedriveAtATime() {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = 0; i < 30_000; i++) {
                producer.send(new ProducerRecord<>("s1-dlt", null, null, utf8("busy"), utf8("\u0001not features"),
                        headers(topics.features())));
            }
        }
        CompletableFuture<ResponseEntity<Map>> first = CompletableFuture.supplyAsync(
                () -> redrive(Map.of("topic", "s1-dlt")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> meters.get("pipeline.redrive.active").gauge().value() == 1);

        ResponseEntity<Map> second = redrive(Map.of("topic", "s1-dlt"));

        assertThat(second.getStatusCode().value()).isEqualTo(409);
        assertThat(second.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(first.join().getBody()).containsEntry("redriven", 30_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"topic\":\"s9-dlt\"}", "{\"topic\":\"s0\"}", "{}", "{\"topic\":\"s0-dlt\",\"partition\":7}",
            "{\"topic\":\"s0-dlt\",\"partition\":-1}", "{\"topic\":\"s0-dlt\",\"fromOffset\":20,\"toOffset\":10}",
            "{\"topic\":\"s0-dlt\",\"fromOffset\":-5}", "{\"topic\":\"s0-dlt\",\"partition\":\"abc\"}"})
    void answersBadInputWith400ProblemDetails(String body) {
        ResponseEntity<Map> response = api().post().uri("/actuator/deadletters").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().onStatus(HttpStatusCode::isError, (request, answer) -> { })
                .toEntity(Map.class);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).containsEntry("status", 400).doesNotContainKey("trace");
    }

    /** Writes valid events as if preprocess had dead-lettered them, with an original timestamp and a trace header. */
    private List<String> letters(String prefix, int first, int count) {
        List<String> ids = IntStream.range(first, first + count).mapToObj(i -> prefix + "-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            for (int i = first; i < first + count; i++) {
                String json = ClickEvents.valid(i).replace("\"" + ClickEvents.eventId(i) + "\"",
                        "\"" + prefix + "-" + i + "\"");
                producer.send(new ProducerRecord<>(topics.deadLetterOf(topics.events()), null, null,
                        utf8(ClickEvents.userId(i)), utf8(json), headers(topics.events())));
            }
        }
        return ids;
    }

    private static RecordHeaders headers(String origin) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", utf8("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(origin));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(ORIGINAL_TIME).array());
        headers.add("dlt-reason", utf8("not_json"));
        return headers;
    }

    @SuppressWarnings("rawtypes")
    private ResponseEntity<Map> redrive(Map<String, Object> request) {
        return api().post().uri("/actuator/deadletters").contentType(MediaType.APPLICATION_JSON).body(request)
                .retrieve().onStatus(HttpStatusCode::isError, (r, answer) -> { }).toEntity(Map.class);
    }

    private RestClient api() {
        return io.streaminference.testing.Management.operator(managementPort);
    }
}
