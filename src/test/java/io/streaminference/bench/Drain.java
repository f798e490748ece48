package io.streaminference.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Times the app draining a backlog once it is warm: waits until it has stored the warm-up events already in its input
 * topic (start-up, and the JIT compiling the hot paths under full load, happen there untimed), then has the measured
 * events appear at once and times them into Redis, reading the app's counters and heap from the actuator and its
 * process's CPU time from /proc.
 */
final class Drain {

    private Drain() {
    }

    /**
     * @param measured makes the measured events visible at once and returns {@link System#nanoTime()} then
     * @param jfr where to record the app with Flight Recorder while it drains the measured events, or null
     */
    /**
     * @param sessions the session stage's Kafka Streams application id, or null when the app runs without it: then
     *                 also times the stage taking in the measured events, and the CPU its threads spent on them
     */
    static Map<String, String> run(int appPort, long appPid, Map<String, Long> stack, int warmup, int count,
            LongSupplier measured, Duration limit, String jfr, String sessions)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (stored(appPort) < warmup) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the app did not store the " + warmup + " warm-up events within " + limit);
            }
            Thread.sleep(250);
        }
        if (jfr != null) {
            jcmd(appPid, "JFR.start", "name=drain", "settings=profile", "filename=" + jfr);
        }
        double sessionsCpuStart = sessions == null ? 0 : ThreadCpu.seconds(appPid, sessions);
        double lateStart = sessions == null ? 0 : Prometheus.scrape(appPort).sum("pipeline_sessions_late_events_total");
        long start = measured.getAsLong();
        double gcStart = Prometheus.scrape(appPort).sum("jvm_gc_pause_seconds_sum");
        Map<String, Long> pids = new LinkedHashMap<>(stack);
        pids.put("app", appPid);
        MachineCpu machine = MachineCpu.start(pids);
        double peakHeap = 0;
        Map<String, String> result = null;
        Map<String, String> sessionResults = sessions == null ? Map.of() : null;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            double seconds = (now - start) / 1e9;
            if (sessionResults == null && intoSessions(appPort) >= warmup + count) {
                sessionResults = Map.of(
                        "sessions_events_per_s", format(count / seconds),
                        "sessions_cpu_us_per_event",
                        format(1e6 * (ThreadCpu.seconds(appPid, sessions) - sessionsCpuStart) / count),
                        "sessions_late", format(Prometheus.scrape(appPort).sum("pipeline_sessions_late_events_total")
                                - lateStart));
            }
            if (result == null) {
                peakHeap = Math.max(peakHeap, Prometheus.meter(appPort, "jvm.memory.used", "area:heap"));
                if (stored(appPort) >= warmup + count) {
                    // The pipeline's numbers at the moment the last event is stored; the session stage may finish later.
                    if (jfr != null) {
                        jcmd(appPid, "JFR.stop", "name=drain");
                    }
                    Prometheus scrape = Prometheus.scrape(appPort);
                    MachineCpu.Usage usage = machine.since();
                    double cpu = usage.processSeconds().get("app");
                    result = new LinkedHashMap<>(Map.of(
                            "events_per_s", format(count / seconds),
                            "seconds", format(seconds),
                            "cpu_s_per_1k", format(1000 * cpu / count),
                            "cpu_cores_used", format(cpu / seconds),
                            "heap_mb", format(peakHeap / (1 << 20)),
                            "gc_s", format(scrape.sum("jvm_gc_pause_seconds_sum") - gcStart),
                            "batch_mean_inference", format(mean(scrape, "pipeline_batch_size", "stage=\"inference\"")),
                            "batch_mean_sink", format(mean(scrape, "pipeline_batch_size", "stage=\"sink\""))));
                    result.putAll(usage.results(count, seconds));
                }
            }
            if (result != null && sessionResults != null) {
                result.putAll(sessionResults);
                return result;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the app did not store " + (warmup + count) + " predictions within " + limit);
    }

    /**
     * Events the sink is done with: stored, or dead-lettered. The timed preload numbers its events from 0 again, with
     * a 20-bit random suffix, so a timed event's id can repeat a warm-up event's under another user, and the sink
     * dead-letters it ({@code event_id_clash}); counting stored ones alone, a full run's drain (1,600,000 events, two
     * such ids) waited for predictions that would never be stored.
     */
    private static double stored(int appPort) throws IOException, InterruptedException {
        try {
            return Prometheus.meter(appPort, "pipeline.records.out", "stage:sink")
                    + Prometheus.meter(appPort, "pipeline.records.dead.lettered", "stage:sink");
        } catch (ConnectException e) {
            return 0; // not up yet
        }
    }

    private static double intoSessions(int appPort) throws IOException, InterruptedException {
        return Prometheus.meter(appPort, "pipeline.records.in", "stage:sessions");
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        line.addAll(List.of(command));
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor();
    }

    private static double mean(Prometheus scrape, String summary, String filter) {
        double count = scrape.sum(summary + "_count", filter);
        return count == 0 ? 0 : scrape.sum(summary + "_sum", filter) / count;
    }

    static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
