package io.streaminference.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Turns the harness's results file into the ratios the performance issue asks for, checks them against the
 * targets, writes the markdown section and the chart, and prints the one summary line last.
 */
final class BenchReport {

    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";
    // Offered load in percent of the drain's throughput; bench/run.sh names the scenarios load<pct> and relayload<pct>.
    private static final List<Integer> LOADS = List.of(25, 50, 80);
    private static final List<Integer> FLOORS = List.of(50, 80);
    private static final List<String> STAGES = List.of("preprocess", "inference", "sink", "sessions",
            "session-inference", "session-sink");

    private BenchReport() {
    }

    static int write(Path resultsFile, Path docs, String mode) throws IOException {
        Properties results = new Properties();
        try (Reader reader = Files.newBufferedReader(resultsFile)) {
            results.load(reader);
        }
        double relay = number(results, "relay.events_per_s");
        double eos = number(results, "eos.events_per_s");
        double alo = number(results, "alo.events_per_s");
        double seed = number(results, "seed.events_per_s");
        double heap = Math.max(number(results, "eos.heap_mb"), number(results, "alo.heap_mb"));
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("relay_ratio", two(eos / relay));
        summary.put("seed_speedup", Drain.format(eos / seed));
        summary.put("p99_ms_at_half_load", two(number(results, "load50.p99_ms")));
        summary.put("p99_floor_ratio_50", two(floorRatio(results, 50, "p99_ms")));
        summary.put("p99_floor_ratio_80", two(floorRatio(results, 80, "p99_ms")));
        summary.put("p50_floor_ratio_50", two(floorRatio(results, 50, "p50_ms")));
        summary.put("eos_ratio", two(eos / alo));
        summary.put("heap_mb", Drain.format(heap));
        summary.put("events_per_s", Drain.format(eos));
        summary.put("sessions_events_per_s", results.getProperty("sessions.sessions_events_per_s", "n/a"));
        double sessionsOn = number(results, "sessions.events_per_s");
        summary.put("sessions_on_off_ratio", two(sessionsOn / eos));

        Map<String, Boolean> targets = new LinkedHashMap<>();
        targets.put("full pipeline ≥ 0.6 × null relay", eos / relay >= 0.6);
        targets.put("≥ 100 × seed-style baseline", eos / seed >= 100);
        // Relative to the floor — the null relay's latency under the same load, same run — not in milliseconds: the
        // absolute targets were below what this machine's topology alone costs (docs/benchmarks.md).
        targets.put("p99 at 50% load ≤ 1.5 × the null relay's", floorRatio(results, 50, "p99_ms") <= 1.5);
        targets.put("p99 at 80% load ≤ 2 × the null relay's", floorRatio(results, 80, "p99_ms") <= 2);
        targets.put("p50 at 50% load ≤ 1.5 × the null relay's", floorRatio(results, 50, "p50_ms") <= 1.5);
        targets.put("no lag growth at 25/50/80% load", LOADS.stream()
                .noneMatch(pct -> Boolean.parseBoolean(results.getProperty("load" + pct + ".lag_growing", "true"))));
        targets.put("exactly-once ≥ 0.75 × at-least-once", eos / alo >= 0.75);
        targets.put("256 MB heap, no growth over the longest load phase", heap <= 256 && !heapGrows(results));

        LinkedHashMap<String, Double> throughput = new LinkedHashMap<>();
        throughput.put("null relay", relay);
        throughput.put("pipeline, exactly-once", eos);
        throughput.put("pipeline, at-least-once", alo);
        throughput.put("pipeline, exactly-once, sessions on", sessionsOn);
        throughput.put("seed-style baseline", seed);
        LinkedHashMap<String, double[]> latency = new LinkedHashMap<>();
        for (int pct : LOADS) {
            latency.put(pct + "% (" + results.getProperty("load" + pct + ".rate") + "/s)",
                    percentiles(results, "load" + pct));
        }
        for (int pct : FLOORS) {
            latency.put("relay " + pct + "%", percentiles(results, "relayload" + pct));
        }
        Files.createDirectories(docs);
        BenchChart.draw(throughput, latency, "stream-inference benchmark (" + mode + ", " + LocalDate.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)", docs.resolve("benchmarks.png"));
        section(docs.resolve("benchmarks.md"), markdown(results, summary, targets, mode));

        targets.forEach((target, met) -> System.out.println((met ? "met:     " : "NOT MET: ") + target));
        StringBuilder line = new StringBuilder();
        summary.forEach((key, value) -> line.append(line.isEmpty() ? "" : " ").append(key).append('=').append(value));
        System.out.println(line);
        return targets.containsValue(false) ? 1 : 0;
    }

    private static boolean heapGrows(Properties results) {
        double first = number(results, "load50.heap_low_first_mb");
        double last = number(results, "load50.heap_low_last_mb");
        return last > first * 1.25 + 16;
    }

    private static String markdown(Properties results, Map<String, String> summary, Map<String, Boolean> targets,
            String mode) {
        StringBuilder md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("### Latest harness run (`bench/run.sh").append(mode.equals("full") ? "" : " --quick")
                .append("`, ").append(LocalDate.now()).append(")\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(System.getProperty("java.version"))
                .append("; broker, Redis, model server (TensorFlow Java, the demo SavedModel), app (`-Xmx256m`) and load")
                .append(" tools all on this one machine. Events per drain (and null relay): ")
                .append(results.getProperty("eos.events")).append(" timed, after ").append(results.getProperty("eos.warmup"))
                .append(" untimed warm-up events.\n\n![benchmark chart](benchmarks.png)\n\n");
        md.append("| scenario | events/s | CPU-s per 1k events (app) | app cores used | peak heap MB | GC s | mean batch (inference / sink) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        md.append("| ").append(relayLabel(results)).append(" | ").append(results.getProperty("relay.events_per_s"))
                .append(" | | | | | |\n");
        for (String mode2 : List.of("eos", "alo", "sessions")) {
            md.append("| pipeline, ").append(mode2.equals("alo") ? "at-least-once" : "exactly-once")
                    .append(mode2.equals("sessions") ? ", session stage on" : "").append(" | ")
                    .append(results.getProperty(mode2 + ".events_per_s")).append(" | ")
                    .append(results.getProperty(mode2 + ".cpu_s_per_1k")).append(" | ")
                    .append(results.getProperty(mode2 + ".cpu_cores_used")).append(" | ")
                    .append(results.getProperty(mode2 + ".heap_mb")).append(" | ")
                    .append(results.getProperty(mode2 + ".gc_s")).append(" | ")
                    .append(results.getProperty(mode2 + ".batch_mean_inference")).append(" / ")
                    .append(results.getProperty(mode2 + ".batch_mean_sink")).append(" |\n");
        }
        md.append("| seed-style baseline | ").append(results.getProperty("seed.events_per_s"))
                .append(" | | | | | 1 (").append(results.getProperty("seed.events")).append(" events, stopped by ")
                .append(results.getProperty("seed.stopped_by")).append(", ").append(results.getProperty("seed.failed"))
                .append(" failed) |\n\n");
        md.append("Session stage (Kafka Streams, exactly-once, 10 s inactivity gap; the event path's drains and loads run")
                .append(" without it): ")
                .append(results.getProperty("sessions.sessions_events_per_s")).append(" events/s taken in, ")
                .append(results.getProperty("sessions.sessions_cpu_us_per_event"))
                .append(" µs CPU per event on its threads, ").append(results.getProperty("sessions.sessions_late"))
                .append(" late events; the event pipeline with it on runs at ")
                .append(two(number(results, "sessions.events_per_s") / number(results, "eos.events_per_s")))
                .append(" × its throughput without.\n\n");
        md.append(cpuTable(results));
        md.append("| offered load | events/s sent | p50 ms | p99 ms | p99.9 ms | max lag (preprocess / inference / sink / sessions / session-inference / session-sink) | lag growth | heap low first → last third MB |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (int pct : LOADS) {
            String load = "load" + pct;
            md.append("| ").append(pct).append('%').append(latencyCells(results, load))
                    .append(" | ").append(results.getProperty(load + ".lag_max")).append(stageLagCell(results, load))
                    .append(" | ").append(results.getProperty(load + ".lag_growth"))
                    .append(" | ").append(results.getProperty(load + ".heap_low_first_mb")).append(" → ")
                    .append(results.getProperty(load + ".heap_low_last_mb")).append(" |\n");
        }
        for (int pct : FLOORS) {
            md.append("| null relay (no work), ").append(pct).append('%')
                    .append(latencyCells(results, "relayload" + pct)).append(" | | | |\n");
        }
        md.append(floorTable(results));
        md.append("\nLatencies are counted from the first sample after each phase's warm-up with under a second's events")
                .append(" behind (the step from the previous phase no longer draining; at most a quarter of the phase")
                .append(" later): ").append(LOADS.stream().map(pct -> results.getProperty("load" + pct + ".settle_s", "0"))
                        .collect(Collectors.joining(" / ")))
                .append(" s after it at ").append(LOADS.stream().map(pct -> pct + "%")
                        .collect(Collectors.joining(" / ")))
                .append("; peak lag and lag growth cover the whole phase after its warm-up.\n");
        md.append("\n| target | met |\n|---|---|\n");
        targets.forEach((target, met) -> md.append("| ").append(target).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n"));
        md.append("\n```\n");
        summary.forEach((key, value) -> md.append(key).append('=').append(value).append(' '));
        md.setLength(md.length() - 1);
        md.append("\n```\n").append(END).append('\n');
        return md.toString();
    }

    /** The app's latency over the floor's at the same offered load: NaN where either is missing. */
    private static double floorRatio(Properties results, int pct, String percentile) {
        return number(results, "load" + pct + "." + percentile) / number(results, "relayload" + pct + "." + percentile);
    }

    /**
     * App and floor side by side per load level and per hop, p50 / p99 in ms: the app's preprocess hop (event time →
     * preprocessed), inference hop (preprocessed → its s2 record's timestamp) and sink hop (predicted → stored),
     * against the relay's three hops timed the same way.
     */
    private static String floorTable(Properties results) {
        StringBuilder md = new StringBuilder("\n| load | end to end, app / floor | p99 ÷ floor | preprocess hop, app / floor"
                + " | inference hop (+ s2 send), app / floor | sink hop, app / floor |\n|---|---|---|---|---|---|\n");
        for (int pct : FLOORS) {
            String app = "load" + pct + ".";
            String floor = "relayload" + pct + ".";
            md.append("| ").append(pct).append("% | ").append(pair(results, app, floor, "")).append(" | ")
                    .append(two(floorRatio(results, pct, "p99_ms"))).append(" | ")
                    .append(pair(results, app, floor, "hop_preprocess_")).append(" | ")
                    .append(results.getProperty(app + "hop_inference_to_s2_p50_ms", "–")).append(" ")
                    .append(results.getProperty(app + "hop_inference_to_s2_p99_ms", "–")).append(" / ")
                    .append(results.getProperty(floor + "hop_inference_p50_ms", "–")).append(" ")
                    .append(results.getProperty(floor + "hop_inference_p99_ms", "–")).append(" | ")
                    .append(pair(results, app, floor, "hop_sink_")).append(" |\n");
        }
        return md.append("\n(p50 p99 in ms; the floor is the null relay under the same offered load in the same run.)\n")
                .toString();
    }

    private static String pair(Properties results, String app, String floor, String hop) {
        return results.getProperty(app + hop + "p50_ms", "–") + " " + results.getProperty(app + hop + "p99_ms", "–")
                + " / " + results.getProperty(floor + hop + "p50_ms", "–") + " "
                + results.getProperty(floor + hop + "p99_ms", "–");
    }

    /** The relay runs in the app's delivery mode (bench/run.sh), exactly-once unless the run switched it. */
    private static String relayLabel(Properties results) {
        return "null relay (" + results.getProperty("relay.delivery", "exactly-once") + ")";
    }

    /**
     * Cores each process used while a scenario was timed, and the machine's CPU per 1,000 events: the relay runs in the
     * harness's JVM, the pipeline in the app's; broker, Redis and (for the pipeline) the model server serve both.
     */
    private static String cpuTable(Properties results) {
        if (results.getProperty("eos.cores_machine") == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("| cores used while timed | machine | machine CPU-s per 1k events | relay or app"
                + " | broker | model server | Redis | harness |\n|---|---|---|---|---|---|---|---|\n");
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("relay", relayLabel(results));
        rows.put("eos", "pipeline, exactly-once");
        rows.put("alo", "pipeline, at-least-once");
        rows.forEach((scenario, label) -> {
            boolean relay = scenario.equals("relay");
            md.append("| ").append(label).append(cell(results, scenario + ".cores_machine"))
                    .append(cell(results, scenario + ".machine_cpu_s_per_1k"));
            // The relay's loops run in the harness's JVM: its cores are the relay's, and it has no separate harness.
            for (String process : List.of(relay ? "harness" : "app", "kafka", "model-server", "redis")) {
                md.append(cell(results, scenario + ".cores_" + process));
            }
            md.append(relay ? " | " : cell(results, scenario + ".cores_harness")).append(" |\n");
        });
        return md.append('\n').toString();
    }

    private static String cell(Properties results, String key) {
        return " | " + results.getProperty(key, "");
    }

    private static void section(Path file, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + section + text.substring(end + END.length() + 1)
                : text + (text.isEmpty() ? "" : "\n") + section;
        Files.writeString(file, updated);
    }

    /** p50, p99 and p99.9 in ms of one open-loop scenario. */
    private static double[] percentiles(Properties results, String scenario) {
        return new double[] {number(results, scenario + ".p50_ms"), number(results, scenario + ".p99_ms"),
                number(results, scenario + ".p999_ms")};
    }

    /** Each stage's own peak backlog, when the run recorded it (older result files did not). */
    private static String stageLagCell(Properties results, String load) {
        List<String> stages = new ArrayList<>();
        for (String stage : STAGES) {
            String max = results.getProperty(load + ".lag_max_" + stage);
            if (max == null && !stage.startsWith("session")) {
                return "";
            }
            stages.add(max == null ? "–" : max);
        }
        return " (" + String.join(" / ", stages) + ")";
    }

    /** The table cells events/s sent, p50, p99 and p99.9 of one open-loop scenario. */
    private static String latencyCells(Properties results, String scenario) {
        StringBuilder cells = new StringBuilder();
        for (String key : List.of("achieved_rate", "p50_ms", "p99_ms", "p999_ms")) {
            cells.append(" | ").append(results.getProperty(scenario + '.' + key));
        }
        return cells.toString();
    }

    private static double number(Properties results, String key) {
        String value = results.getProperty(key);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    private static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
