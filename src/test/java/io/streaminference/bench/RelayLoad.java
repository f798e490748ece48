package io.streaminference.bench;

import io.streaminference.demo.ClickstreamSimulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The latency floor of the pipeline's topology on this machine: the open-loop load of {@link OpenLoad} (same
 * events, rate, schedule and warm-up) through the {@link NullRelay} instead of the app, timed from each event's send
 * to its Redis write. The app's latency at the same load can only be this plus its work. Like the app, the relay
 * first moves a backlog of warm-up events untimed, so its JIT has compiled the hot paths before the clock starts.
 */
final class RelayLoad {

    private static final int WARMUP_SECONDS = 20;

    private RelayLoad() {
    }

    /**
     * @param relay a relay built with {@code latency}
     * @param warmupEvents relayed as fast as the relay goes before the timed load starts
     */
    static Map<String, String> run(String bootstrap, String[] topics, NullRelay relay, LatencyRecorder latency,
            RedisConnectionFactory redis, int warmupEvents, double rate, int seconds, long seed) throws Exception {
        AtomicLong failures = new AtomicLong();
        long sent;
        relay.start(topics, redis);
        try {
            relay.awaitAssigned(Duration.ofMinutes(1));
            Preload.load(bootstrap, topics[0], warmupEvents, 42);
            relay.awaitStored(warmupEvents, Duration.ofMinutes(5));
            ClickstreamSimulator simulator = new ClickstreamSimulator(seed, System::currentTimeMillis, 0);
            try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(bootstrap, null)) {
                // The same 20 s at the new pace the app gets before its first load phase, then the phase's own.
                int warmup = WARMUP_SECONDS + Pacer.warmupSeconds(seconds);
                sent = Pacer.run(rate, WARMUP_SECONDS + seconds, warmup, (now, first) -> {
                    if (first) {
                        latency.reset();
                        relay.resetHops();
                    }
                }, () -> BenchClients.send(producer, topics[0], simulator.next(), failures));
                producer.flush();
            }
            // Let the last events through before reading the percentiles.
            long drainDeadline = System.nanoTime() + 30_000_000_000L;
            while (relay.stored() < warmupEvents + sent && System.nanoTime() < drainDeadline) {
                Thread.sleep(100);
            }
        } finally {
            relay.stop();
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("rate", Drain.format(rate));
        result.put("achieved_rate", Drain.format(sent / (double) (WARMUP_SECONDS + seconds)));
        result.put("send_failures", Long.toString(failures.get()));
        result.put("stored", Long.toString(relay.stored() - warmupEvents));
        result.put("p50_ms", Drain.format(latency.quantileMs(0.50)));
        result.put("p99_ms", Drain.format(latency.quantileMs(0.99)));
        result.put("p999_ms", Drain.format(latency.quantileMs(0.999)));
        result.putAll(relay.hopPercentiles());
        return result;
    }
}
