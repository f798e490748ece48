package io.streaminference.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the app draining a preloaded topic: reads its stored-predictions counter and heap every 250 ms until the sink
 * has stored {@code count} predictions, and reads the app process's CPU time from /proc. Throughput counts from the first
 * stored prediction, so JVM start-up is not in it.
 */
final class Drain {

    private Drain() {
    }

    /** @param jfr where to record the app with Flight Recorder while it drains (from the first stored prediction), or null */
    static Map<String, String> run(int appPort, long appPid, int count, Duration limit, String jfr)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        double peakHeap = 0;
        double gcStart = -1;
        double cpuStart = 0;
        long firstNanos = 0;
        double firstCount = 0;
        Prometheus scrape = null;
        while (System.nanoTime() < deadline) {
            double stored;
            try {
                stored = Prometheus.meter(appPort, "pipeline.records.out", "stage:sink");
            } catch (IOException e) {
                Thread.sleep(250); // not up yet
                continue;
            }
            long now = System.nanoTime();
            peakHeap = Math.max(peakHeap, Prometheus.meter(appPort, "jvm.memory.used", "area:heap"));
            if (firstNanos == 0 && stored > 0) {
                firstNanos = now;
                firstCount = stored;
                gcStart = Prometheus.scrape(appPort).sum("jvm_gc_pause_seconds_sum");
                cpuStart = ProcessCpu.seconds(appPid);
                if (jfr != null) {
                    jcmd(appPid, "JFR.start", "name=drain", "settings=profile", "filename=" + jfr);
                }
            }
            if (stored >= count) {
                if (jfr != null) {
                    jcmd(appPid, "JFR.stop", "name=drain");
                }
                scrape = Prometheus.scrape(appPort);
                double seconds = (now - firstNanos) / 1e9;
                double cpu = ProcessCpu.seconds(appPid) - cpuStart;
                double events = stored - firstCount;
                return Map.of(
                        "events_per_s", format(events / seconds),
                        "seconds", format(seconds),
                        "cpu_s_per_1k", format(1000 * cpu / events),
                        "cpu_cores_used", format(cpu / seconds),
                        "heap_mb", format(peakHeap / (1 << 20)),
                        "gc_s", format(scrape.sum("jvm_gc_pause_seconds_sum") - gcStart),
                        "batch_mean_inference", format(mean(scrape, "pipeline_batch_size", "stage=\"inference\"")),
                        "batch_mean_sink", format(mean(scrape, "pipeline_batch_size", "stage=\"sink\"")));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not store " + count + " predictions within " + limit
                + (firstNanos == 0 ? " (none stored)" : ""));
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
