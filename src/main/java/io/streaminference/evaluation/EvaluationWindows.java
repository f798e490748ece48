package io.streaminference.evaluation;

import io.streaminference.contract.Evaluation;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Online evaluation per model name and the version that answered: a {@link VersionWindow} of the last
 * {@code windowSize} labelled predictions of each, fed from the evaluations topic by {@link EvaluationFeed}. Every
 * instance reads the whole topic, so the API and the metrics agree across instances.
 */
public final class EvaluationWindows {

    private final int windowSize;
    private final Map<String, SortedMap<Long, VersionWindow>> models = new ConcurrentHashMap<>();
    private final FirstSeen firstSeen;

    EvaluationWindows(int windowSize, FirstSeen firstSeen) {
        this.windowSize = windowSize;
        this.firstSeen = firstSeen;
    }

    /** Told of each model version the first time one of its evaluations arrives (to register its meters). */
    @FunctionalInterface
    interface FirstSeen {
        void seen(EvaluationWindows windows, String model, long version);
    }

    void add(Evaluation evaluation) {
        SortedMap<Long, VersionWindow> versions = models.computeIfAbsent(evaluation.getModelName(),
                name -> java.util.Collections.synchronizedSortedMap(new TreeMap<>()));
        VersionWindow window;
        boolean created = false;
        synchronized (versions) {
            window = versions.get(evaluation.getModelVersion());
            if (window == null) {
                window = new VersionWindow(windowSize);
                versions.put(evaluation.getModelVersion(), window);
                created = true;
            }
        }
        window.add(evaluation.getScore(), evaluation.getPositive(),
                evaluation.getPredictedLabel().equals(evaluation.getLabel()));
        if (created) {
            firstSeen.seen(this, evaluation.getModelName(), evaluation.getModelVersion());
        }
    }

    /** The evaluation of each version of {@code model} seen so far, by version. */
    public SortedMap<Long, OnlineMetrics> versions(String model) {
        SortedMap<Long, VersionWindow> versions = models.get(model);
        SortedMap<Long, OnlineMetrics> metrics = new TreeMap<>();
        if (versions != null) {
            synchronized (versions) {
                versions.forEach((version, window) -> metrics.put(version, window.metrics()));
            }
        }
        return metrics;
    }

    OnlineMetrics metrics(String model, long version) {
        SortedMap<Long, VersionWindow> versions = models.get(model);
        VersionWindow window = versions == null ? null : versions.get(version);
        return window == null ? null : window.metrics();
    }

    int windowSize() {
        return windowSize;
    }
}
