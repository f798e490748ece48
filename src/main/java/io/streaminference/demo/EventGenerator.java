package io.streaminference.demo;

import java.nio.charset.StandardCharsets;
import io.streaminference.contract.Label;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Demo traffic into s0 at a steady rate: {@link ClickstreamSimulator} events produced with a plain Kafka producer,
 * and their ground truth into the labels topic, late ({@link DemoLabeler}). Runs until {@code count} events are sent
 * (0 = forever) or it is stopped.
 */
public final class EventGenerator implements Runnable {

    private final GeneratorOptions options;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public EventGenerator(GeneratorOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(GeneratorOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(GeneratorOptions.USAGE);
            return;
        }
        EventGenerator generator = new EventGenerator(options);
        Runtime.getRuntime().addShutdownHook(new Thread(generator::stop));
        generator.run();
    }

    @Override
    public void run() {
        // Simulated time from now on at the configured rate: when the generator keeps its rate, event time is wall time.
        long startMs = options.startMs() > 0 ? options.startMs() : System.currentTimeMillis();
        ClickstreamSimulator simulator = new ClickstreamSimulator(options.seed(), startMs, options.rate(),
                options.malformedRatio());
        if (options.driftAt() != null) {
            simulator.driftAt(startMs + options.driftAt().toMillis());
            System.out.printf("generator: bots drift at %s%n", Instant.ofEpochMilli(startMs
                    + options.driftAt().toMillis()));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            long sent = 0;
            long labelled = 0;
            long start = System.nanoTime();
            long lastReport = start;
            DemoLabeler labeler = options.labels().enabled() ? new DemoLabeler(options.labels()) : null;
            while (running.get() && (options.count() == 0 || sent < options.count())) {
                DemoEvent event = simulator.next();
                byte[] key = event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(options.topic(), key, event.value()));
                sent++;
                if (labeler != null) {
                    long now = System.currentTimeMillis();
                    labeler.sent(event, now);
                    labelled += sendLabels(producer, labeler.due(now));
                }
                pace(start, sent);
                if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                    lastReport = System.nanoTime();
                    System.out.printf("generator: %,d events sent to %s, %,d labels to %s%n", sent, options.topic(),
                            labelled, options.labels().topic());
                }
            }
            producer.flush();
            System.out.printf("generator: done, %,d events sent to %s%n", sent, options.topic());
        }
    }

    /** Labels keyed by their entity, as the evaluation stage needs to meet their predictions. */
    private int sendLabels(KafkaProducer<byte[], byte[]> producer, List<Label> labels) {
        for (Label label : labels) {
            producer.send(new ProducerRecord<>(options.labels().topic(),
                    label.getEntityKey().getBytes(StandardCharsets.UTF_8), label.toByteArray()));
        }
        return labels.size();
    }

    public void stop() {
        running.set(false);
    }

    /** Sleeps just enough to hold the configured rate on average. */
    private void pace(long startNanos, long sent) {
        long due = startNanos + (long) (sent * 1e9 / options.rate());
        long ahead = due - System.nanoTime();
        if (ahead > 1_000_000) {
            try {
                Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }
    }
}
