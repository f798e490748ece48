package io.streaminference.bench;

import io.streaminference.demo.ClickstreamSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Open-loop load: events sent on a fixed schedule (never waiting for the pipeline, so a slow pipeline shows up as
 * latency and lag rather than as a slower producer), each stamped with its send time. Latency percentiles come from
 * the app's end-to-end histogram between the end of warm-up (or the first sample after it with less than a second's
 * events behind) and the end of the phase; lag and heap are sampled every 5 s.
 */
final class OpenLoad {

    private static final String END_TO_END = "pipeline_end_to_end_latency_seconds";
    /** Prediction time → Redis write: the inference commit, s2 lag and the store. */
    private static final String SINK_HOP = "pipeline_predicted_to_store_latency_seconds";

    private OpenLoad() {
    }

    static Map<String, String> run(String bootstrap, String topic, int appPort, double rate, int seconds,
            ConsumerLag lag, long seed) throws Exception {
        AtomicLong failures = new AtomicLong();
        ClickstreamSimulator simulator = new ClickstreamSimulator(seed, System::currentTimeMillis, 0);
        AtomicReference<Prometheus> scrapeAtWarm = new AtomicReference<>();
        AtomicLong windowOpen = new AtomicLong();
        List<long[]> lagSamples = new ArrayList<>();
        // A stage's own backlog peak (its group's lag): which stage fell behind when the total rose.
        Map<String, Long> stageLagMax = new TreeMap<>();
        // And the most of its input held by open transactions: tells a transaction held upstream from a stage that
        // does not fetch (ConsumerLag.StageLag).
        Map<String, Long> stageUnstableMax = new TreeMap<>();
        List<double[]> heapSamples = new ArrayList<>();
        int warmupSeconds = Pacer.warmupSeconds(seconds);
        AtomicLong warmEnd = new AtomicLong();
        AtomicLong settledAfter = new AtomicLong();
        long sent;
        try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(bootstrap, null)) {
            sent = Pacer.run(rate, seconds, warmupSeconds, (now, first) -> {
                Prometheus scrape = Prometheus.scrape(appPort);
                Map<String, ConsumerLag.StageLag> lagByGroup = lag.byGroup();
                long backlog = ConsumerLag.total(lagByGroup);
                if (first) {
                    warmEnd.set(now);
                }
                // The step from the previous phase (idle between phases, a fresh load generator compiling its sender)
                // can leave a backlog at the end of the warm-up; counting its drain would measure the step, not the
                // load. The window opens once less than a second's events are behind, or a quarter of the phase later
                // (lag growth and peak lag still cover the whole phase after its warm-up).
                if (scrapeAtWarm.get() == null
                        && (backlog <= rate || now - warmEnd.get() >= seconds * 250_000_000L)) {
                    scrapeAtWarm.set(scrape);
                    windowOpen.set(System.nanoTime());
                    settledAfter.set(now - warmEnd.get());
                }
                lagByGroup.forEach((group, value) -> {
                    stageLagMax.merge(group, value.lag(), Math::max);
                    stageUnstableMax.merge(group, value.unstable(), Math::max);
                });
                lagSamples.add(new long[] {now, backlog});
                if (backlog > rate) {
                    logBacklog(rate, lagByGroup, scrape);
                }
                heapSamples.add(new double[] {now, scrape.sum("jvm_memory_used_bytes", "area=\"heap\"")});
            }, () -> BenchClients.send(producer, topic, simulator.next(), failures));
            producer.flush();
        }
        // Let the last events through the pipeline before reading the histogram.
        lag.awaitAtMost((long) rate, Duration.ofSeconds(30));
        Thread.sleep(2_000);
        Prometheus atEnd = Prometheus.scrape(appPort);
        TreeMap<Double, Double> histogramAtWarm = scrapeAtWarm.get().buckets(END_TO_END);
        TreeMap<Double, Double> sinkHopAtWarm = scrapeAtWarm.get().buckets(SINK_HOP);
        double window = (System.nanoTime() - windowOpen.get()) / 1e9;
        TreeMap<Double, Double> histogramAtEnd = atEnd.buckets(END_TO_END);
        TreeMap<Double, Double> sinkHopAtEnd = atEnd.buckets(SINK_HOP);
        Map<String, String> result = new LinkedHashMap<>();
        result.put("rate", Drain.format(rate));
        result.put("sent", Long.toString(sent));
        result.put("achieved_rate", Drain.format(sent / (double) seconds));
        result.put("send_failures", Long.toString(failures.get()));
        // Seconds after the warm-up at which the measured window opened.
        result.put("settle_s", Long.toString(settledAfter.get() / 1_000_000_000L));
        result.put("p50_ms", Drain.format(Prometheus.quantileMs(histogramAtWarm, histogramAtEnd, 0.50)));
        result.put("p99_ms", Drain.format(Prometheus.quantileMs(histogramAtWarm, histogramAtEnd, 0.99)));
        result.put("p999_ms", Drain.format(Prometheus.quantileMs(histogramAtWarm, histogramAtEnd, 0.999)));
        // The fourth hop (after preprocess, inference and the s2 send HopLatency reads from the predictions).
        result.put("hop_sink_p50_ms", Drain.format(Prometheus.quantileMs(sinkHopAtWarm, sinkHopAtEnd, 0.50)));
        result.put("hop_sink_p99_ms", Drain.format(Prometheus.quantileMs(sinkHopAtWarm, sinkHopAtEnd, 0.99)));
        result.put("lag_max", Long.toString(lagSamples.stream().mapToLong(s -> s[1]).max().orElse(0)));
        stageLagMax.forEach((group, max) -> result.put("lag_max_" + stage(group), Long.toString(max)));
        stageUnstableMax.forEach((group, max) -> result.put("unstable_max_" + stage(group), Long.toString(max)));
        result.put("lag_growth", Long.toString(growth(lagSamples)));
        result.put("lag_growing", Boolean.toString(growth(lagSamples) > rate));
        result.put("heap_low_first_mb", Drain.format(windowLow(heapSamples, true) / (1 << 20)));
        result.put("heap_low_last_mb", Drain.format(windowLow(heapSamples, false) / (1 << 20)));
        BatchBreakdown.between(scrapeAtWarm.get(), atEnd, window).forEach((key, value) -> result.put("cost_" + key, value));
        return result;
    }

    /**
     * One line to bench.log per sample with more than a second's events behind: each stage's lag and open-transaction
     * share, and what the sink's consumers say of themselves (their own lag, slowest fetch, fetch rate) — whether a
     * stalled sink had nothing it could read, or had it and did not fetch.
     */
    private static void logBacklog(double rate, Map<String, ConsumerLag.StageLag> lagByGroup, Prometheus scrape) {
        System.err.printf("load %s/s %tT backlog %s; sink consumers: lag %.0f, slowest fetch %.0f ms, %.1f fetches/s%n",
                Drain.format(rate), System.currentTimeMillis(), lagByGroup,
                scrape.sum("kafka_consumer_fetch_manager_records_lag", "sink"),
                scrape.max("kafka_consumer_fetch_manager_fetch_latency_max", "sink"),
                scrape.sum("kafka_consumer_fetch_manager_fetch_rate", "sink"));
    }

    /** bench-eos-sink → sink */
    /** The stage a group belongs to: its name after the run's prefix, e.g. inference or session-inference. */
    static String stage(String group) {
        for (String stage : List.of("session-inference", "session-sink", "sessions")) {
            if (group.endsWith("-" + stage)) {
                return stage;
            }
        }
        return group.substring(group.lastIndexOf('-') + 1);
    }

    /** Mean lag of the last third of the samples minus the mean of the first third. */
    private static long growth(List<long[]> samples) {
        int third = Math.max(1, samples.size() / 3);
        double first = samples.subList(0, third).stream().mapToLong(s -> s[1]).average().orElse(0);
        double last = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(s -> s[1]).average()
                .orElse(0);
        return Math.round(last - first);
    }

    /** Lowest heap use (≈ live data after a collection) in the first or the last third of the phase. */
    private static double windowLow(List<double[]> samples, boolean first) {
        int third = Math.max(1, samples.size() / 3);
        List<double[]> window = first ? samples.subList(0, third) : samples.subList(samples.size() - third, samples.size());
        return window.stream().mapToDouble(s -> s[1]).min().orElse(0);
    }
}
