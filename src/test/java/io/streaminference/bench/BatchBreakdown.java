package io.streaminference.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a hop's time goes, as means over an open-loop phase: from two scrapes of the app's counters (the stages'
 * batches, Predict calls, the producers' transaction commits, the sink's Redis calls and offset commits, GC pauses
 * and JIT compilation), the cost of one batch's parts in milliseconds. Percentiles of the hops say how long; these say
 * what the time was spent on (docs/benchmarks.md, latency against the floor).
 */
final class BatchBreakdown {

    private static final List<String> STAGES = List.of("preprocess", "inference", "sink");

    private BatchBreakdown() {
    }

    /** Keys are prefixed by what they measure: {@code <stage>_batch_records}, {@code txn_commit_ms}, ... */
    static Map<String, String> between(Prometheus before, Prometheus after, double seconds) {
        Map<String, String> result = new LinkedHashMap<>();
        Map<String, Double> batchesOf = new LinkedHashMap<>();
        for (String stage : STAGES) {
            String label = "stage=\"" + stage + "\"";
            double batches = delta(before, after, "pipeline_batch_size_count", label);
            batchesOf.put(stage, batches);
            result.put(stage + "_batches_per_s", Drain.format(batches / seconds));
            result.put(stage + "_batch_records", Drain.format(ratio(
                    delta(before, after, "pipeline_batch_size_sum", label), batches)));
            // The consumers' own mean over their last polls (a gauge): the period of the stage's poll loop.
            result.put(stage + "_poll_period_ms", Drain.format(mean(after, "kafka_consumer_time_between_poll_avg",
                    "-" + stage + "-")));
        }
        // Transactional producers serve preprocess and inference alike: one mean over both stages' batches.
        double transactions = batchesOf.get("preprocess") + batchesOf.get("inference");
        double predictCalls = delta(before, after, "pipeline_predict_latency_seconds_count");
        result.put("predict_ms", Drain.format(1000 * ratio(
                delta(before, after, "pipeline_predict_latency_seconds_sum"), predictCalls)));
        result.put("predict_calls_per_batch", Drain.format(ratio(predictCalls, batchesOf.get("inference"))));
        result.put("txn_send_offsets_ms", Drain.format(ratio(
                delta(before, after, "kafka_producer_txn_send_offsets_time_ns_total") / 1e6, transactions)));
        result.put("txn_commit_ms", Drain.format(ratio(
                delta(before, after, "kafka_producer_txn_commit_time_ns_total") / 1e6, transactions)));
        double redisCalls = delta(before, after, "lettuce_command_completion_seconds_count", "command=\"EVALSHA\"");
        result.put("sink_redis_call_ms", Drain.format(1000 * ratio(
                delta(before, after, "lettuce_command_completion_seconds_sum", "command=\"EVALSHA\""), redisCalls)));
        result.put("sink_redis_calls_per_batch", Drain.format(ratio(redisCalls, batchesOf.get("sink"))));
        result.put("sink_commit_ms", Drain.format(ratio(
                delta(before, after, "kafka_consumer_commit_sync_time_ns_total", "-sink-") / 1e6,
                batchesOf.get("sink"))));
        double pauses = delta(before, after, "jvm_gc_pause_seconds_count");
        result.put("gc_pauses_per_s", Drain.format(pauses / seconds));
        result.put("gc_pause_ms", Drain.format(1000 * ratio(delta(before, after, "jvm_gc_pause_seconds_sum"), pauses)));
        // Elapsed compile time per second: how busy the JIT still is (one C2 thread here, so at most ~1000).
        result.put("jit_ms_per_s", Drain.format(delta(before, after, "jvm_compilation_time_ms_total") / seconds));
        return result;
    }

    private static double delta(Prometheus before, Prometheus after, String name, String... filters) {
        return after.sum(name, filters) - before.sum(name, filters);
    }

    private static double mean(Prometheus scrape, String name, String filter) {
        return ratio(scrape.sum(name, filter), scrape.count(name, filter));
    }

    private static double ratio(double part, double whole) {
        return whole <= 0 ? Double.NaN : part / whole;
    }
}
