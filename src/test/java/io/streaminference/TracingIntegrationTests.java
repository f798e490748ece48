package io.streaminference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.streaminference.testing.ClickEvents;
import io.streaminference.testing.KafkaTestClients;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** With tracing on, the trace an event arrives with in s0 continues through s1 and s2 to its Redis write. */
@SpringBootTest(properties = {"management.tracing.enabled=true", "management.tracing.sampling.probability=1.0",
        "management.otlp.tracing.export.enabled=false", "pipeline.topics.partitions=1"})
@EmbeddedKafka(kraft = true, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@AutoConfigureObservability // a @SpringBootTest switches tracing off otherwise
class TracingIntegrationTests extends PipelineTestSupport {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    CapturedSpans spans;

    @Test
    void continuesTheEventsTraceFromS0ToTheRedisWrite() {
        ProducerRecord<byte[], byte[]> event = new ProducerRecord<>(topics.events(), utf8(ClickEvents.userId(0)),
                utf8(ClickEvents.valid(0)));
        event.headers().add("traceparent", utf8("00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.getBrokersAsString())) {
            producer.send(event);
        }

        await().atMost(Duration.ofMinutes(1)).until(() -> stored().allStored(List.of(ClickEvents.eventId(0))));
        ConsumerRecord<byte[], byte[]> features = read(topics.features(), 1, Duration.ofSeconds(20), Duration.ZERO).get(0);
        ConsumerRecord<byte[], byte[]> prediction = read(topics.predictions(), 1, Duration.ofSeconds(20), Duration.ZERO)
                .get(0);

        assertThat(header(features, "traceparent")).startsWith("00-" + TRACE_ID + "-");
        assertThat(header(prediction, "traceparent")).startsWith("00-" + TRACE_ID + "-")
                .isNotEqualTo(header(features, "traceparent"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spans.names(TRACE_ID)).contains(
                "preprocess receive " + topics.events(), "preprocess send " + topics.features(),
                "inference receive " + topics.features(), "inference send " + topics.predictions(),
                "sink store"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SpanCapture {

        @Bean
        CapturedSpans capturedSpans() {
            return new CapturedSpans();
        }
    }

    /** An OpenTelemetry exporter that keeps what it is given, in place of OTLP. */
    static class CapturedSpans implements SpanExporter {

        private final List<SpanData> spans = new CopyOnWriteArrayList<>();

        List<String> names(String traceId) {
            return spans.stream().filter(span -> span.getTraceId().equals(traceId)).map(SpanData::getName).toList();
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
