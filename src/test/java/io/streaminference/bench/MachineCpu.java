package io.streaminference.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a timed scenario's CPU went on this machine: cores used by each process of the stack (each with its child
 * processes, e.g. the redis-server the Redis launcher starts) and by the whole machine, from /proc (Linux). The
 * relay and the app share two cores with the broker, the model server and Redis, so a throughput ratio between them
 * is read against what each scenario cost the machine per event.
 */
final class MachineCpu {

    private final Map<String, Long> pids;
    private final Map<String, Double> startSeconds;
    private final double startBusy;

    private MachineCpu(Map<String, Long> pids) throws IOException {
        this.pids = pids;
        this.startSeconds = seconds(pids);
        this.startBusy = busySeconds();
    }

    /** @param pids process name → pid, e.g. {@code broker=1234}; the calling JVM is added as {@code harness} */
    static MachineCpu start(Map<String, Long> pids) throws IOException {
        Map<String, Long> all = new LinkedHashMap<>(pids);
        all.putIfAbsent("harness", ProcessHandle.current().pid());
        return new MachineCpu(all);
    }

    /** Parses {@code name=pid,name=pid} (the harness's {@code --local.pids}); empty when absent. */
    static Map<String, Long> parse(String option) {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (option != null && !option.isBlank()) {
            for (String pair : option.split(",")) {
                String[] nameAndPid = pair.split("=", 2);
                pids.put(nameAndPid[0].trim(), Long.parseLong(nameAndPid[1].trim()));
            }
        }
        return pids;
    }

    /** CPU used since {@link #start}, by each process and by the whole machine. */
    Usage since() throws IOException {
        Map<String, Double> used = new LinkedHashMap<>();
        seconds(pids).forEach((name, now) -> used.put(name, now - startSeconds.get(name)));
        return new Usage(used, busySeconds() - startBusy);
    }

    /** CPU-seconds per process name and for the machine. */
    record Usage(Map<String, Double> processSeconds, double machineSeconds) {

        /** {@code cores_<name>} per process, {@code cores_machine}, and {@code machine_cpu_s_per_1k} events. */
        Map<String, String> results(long events, double wallSeconds) {
            Map<String, String> result = new LinkedHashMap<>();
            processSeconds.forEach((name, used) -> result.put("cores_" + name, Drain.format(used / wallSeconds)));
            result.put("cores_machine", Drain.format(machineSeconds / wallSeconds));
            result.put("machine_cpu_s_per_1k", String.format(Locale.ROOT, "%.3f", 1000 * machineSeconds / events));
            return result;
        }
    }

    private static Map<String, Double> seconds(Map<String, Long> pids) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : pids.entrySet()) {
            double total = ProcessCpu.seconds(entry.getValue());
            for (ProcessHandle child : ProcessHandle.of(entry.getValue()).map(p -> p.descendants().toList())
                    .orElse(List.of())) {
                total += ProcessCpu.seconds(child.pid());
            }
            seconds.put(entry.getKey(), total);
        }
        return seconds;
    }

    /** All CPUs' non-idle time (user, nice, system, irq, softirq, steal) from the first line of /proc/stat. */
    private static double busySeconds() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(fields[i]);
        }
        return busy / ProcessCpu.TICKS_PER_SECOND;
    }
}
