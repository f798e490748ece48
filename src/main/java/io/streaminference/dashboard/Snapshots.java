package io.streaminference.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Turns readings of the meters (now, a second ago, a window ago) into the page's {@link LiveSnapshot}. */
final class Snapshots {

    static final int LATENCY_WINDOW_S = 10;
    static final int MODEL_WINDOW_S = 60;
    static final int SCORE_BINS = 10;

    /** Stages in pipeline order; others (a role's, a future stage's) follow by name. */
    static final List<String> ORDER = List.of("preprocess", "inference", "sink", "sessions", "session-inference",
            "session-sink");

    private Snapshots() {
    }

    /**
     * @param now    the current reading
     * @param second the reading about a second before
     * @param latencyWindow the reading about {@value #LATENCY_WINDOW_S} s before
     * @param modelWindow   the reading about {@value #MODEL_WINDOW_S} s before
     * @param lags   records behind per stage whose consumers run here
     * @param states per stage, a state other than running (paused, or a Kafka Streams state)
     */
    static LiveSnapshot of(Reading now, Reading second, Reading latencyWindow, Reading modelWindow,
            Map<String, Long> lags, Map<String, String> states) {
        double seconds = Math.max(0.001, (now.atMs() - second.atMs()) / 1000.0);
        TreeSet<String> names = new TreeSet<>((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b))
                : a.compareTo(b));
        Map<String, TreeMap<String, Long>> labels = new TreeMap<>();
        Map<String, long[]> histograms = new TreeMap<>();
        Map<String, Double> modelRates = new TreeMap<>();
        List<LiveSnapshot.DeadLetters> deadLetters = new ArrayList<>();
        for (String key : now.values().keySet()) {
            String[] parts = key.split("\\|", -1);
            switch (parts[0]) {
                case "in" -> names.add(parts[1]);
                case "dl" -> deadLetters.add(new LiveSnapshot.DeadLetters(parts[1], parts[2], (long) now.get(key),
                        Math.round(now.since(modelWindow, key))));
                case "pred" -> {
                    String model = parts[1] + "|" + parts[2] + "|" + parts[3];
                    labels.computeIfAbsent(model, m -> new TreeMap<>())
                            .put(parts[4], Math.round(now.since(modelWindow, key)));
                    modelRates.merge(model, now.since(second, key) / seconds, Double::sum);
                }
                default -> {
                }
            }
        }
        // A listener that is not a stage (the dead-letter log, a redrive) has lag but no place on the page.
        lags.keySet().stream().filter(ORDER::contains).forEach(names::add);
        states.keySet().stream().filter(ORDER::contains).forEach(names::add);
        List<LiveSnapshot.Stage> stages = new ArrayList<>();
        for (String stage : names) {
            String in = "in|" + stage;
            stages.add(new LiveSnapshot.Stage(stage, (long) now.get(in), round(now.since(second, in) / seconds),
                    lags.get(stage), states.getOrDefault(stage, "running")));
        }
        List<LiveSnapshot.Model> models = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, Long>> entry : labels.entrySet()) {
            String[] model = entry.getKey().split("\\|", -1);
            models.add(new LiveSnapshot.Model(model[0], model[1], model[2], round(modelRates.get(entry.getKey())),
                    entry.getValue(), histogram(now, modelWindow, "score|" + entry.getKey() + "|")));
        }
        deadLetters.sort((a, b) -> Long.compare(b.total(), a.total()));
        return new LiveSnapshot(now.atMs(), stages, latency(now, latencyWindow), deadLetters, models);
    }

    private static int rank(String stage) {
        int at = ORDER.indexOf(stage);
        return at < 0 ? ORDER.size() : at;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Counts per tenth of the score, from the cumulative score buckets at 10, 20, … 100 percent. */
    static long[] histogram(Reading now, Reading earlier, String prefix) {
        long[] bins = new long[SCORE_BINS];
        double below = 0;
        for (int i = 1; i <= SCORE_BINS; i++) {
            double cumulative = now.since(earlier, prefix + (i * 100.0 / SCORE_BINS));
            bins[i - 1] = Math.max(0, Math.round(cumulative - below));
            below = cumulative;
        }
        return bins;
    }

    /** p50 and p99 of what was stored since {@code earlier}, from the cumulative latency buckets. */
    static LiveSnapshot.Latency latency(Reading now, Reading earlier) {
        double total = now.since(earlier, "lat|count");
        if (total < 1) {
            return null;
        }
        TreeMap<Long, Double> buckets = new TreeMap<>();
        for (String key : now.values().keySet()) {
            if (key.startsWith("lat|") && !key.equals("lat|count")) {
                buckets.put(Long.parseLong(key.substring(4)), now.since(earlier, key));
            }
        }
        return new LiveSnapshot.Latency(percentile(buckets, total, 0.50), percentile(buckets, total, 0.99),
                Math.round(total));
    }

    private static long percentile(TreeMap<Long, Double> cumulative, double total, double quantile) {
        for (Map.Entry<Long, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= quantile * total) {
                return bucket.getKey();
            }
        }
        return cumulative.isEmpty() ? 0 : cumulative.lastKey();
    }
}
