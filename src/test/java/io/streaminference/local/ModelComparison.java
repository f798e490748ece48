package io.streaminference.local;

import io.streaminference.demo.ClickstreamSimulator.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Judges the event model against the session model on held-out demo traffic, event by event: an event's event-model
 * score is its own, its session-model score is that of its session. Positives are the events of one kind of bot (or of
 * all bots), negatives always the humans' events, so both models face the same question: is this request automated?
 */
final class ModelComparison {

    static final double FALSE_POSITIVE_RATE = 0.01;
    static final int EARLY_EVENTS = 20;
    private static final String EARLY = "session, first " + EARLY_EVENTS + " events";

    record Row(String traffic, String model, int positives, int negatives, double rocAuc, double recallAtOnePercent) {
        @Override
        public String toString() {
            return String.format("| %s | %s | %,d | %,d | %.4f | %.3f |", traffic, model, positives, negatives, rocAuc,
                    recallAtOnePercent);
        }
    }

    static final String HEADER = "| traffic | model | bot events | human events | ROC AUC | recall at 1% FPR |\n"
            + "|---|---|---|---|---|---|";

    private ModelComparison() {
    }

    /**
     * @param earlyScores the session model's scores of each session's first {@value #EARLY_EVENTS} events
     */
    static List<Row> compare(DemoTraffic test, float[] eventScores, float[] sessionScores, float[] earlyScores) {
        float[] bySession = perEvent(test, sessionScores);
        float[] byEarly = perEvent(test, earlyScores);
        List<Row> rows = new ArrayList<>();
        for (Kind kind : List.of(Kind.STEALTH, Kind.SCANNER, Kind.SCRAPER, Kind.STUFFER)) {
            rows.add(row(kind.name().toLowerCase() + " bots", "event", test.kinds(), k -> k == kind, eventScores));
            rows.add(row(kind.name().toLowerCase() + " bots", "session", test.kinds(), k -> k == kind, bySession));
        }
        rows.add(row("stealth bots", EARLY, test.kinds(), k -> k == Kind.STEALTH, byEarly));
        rows.add(row("all traffic", "event", test.kinds(), k -> k != Kind.HUMAN, eventScores));
        rows.add(row("all traffic", "session", test.kinds(), k -> k != Kind.HUMAN, bySession));
        rows.add(row("all traffic", EARLY, test.kinds(), k -> k != Kind.HUMAN, byEarly));
        return rows;
    }

    private static float[] perEvent(DemoTraffic test, float[] sessionScores) {
        float[] scores = new float[test.events().size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = sessionScores[test.sessionOf()[i]];
        }
        return scores;
    }

    private static Row row(String traffic, String model, List<Kind> kinds, Predicate<Kind> positive, float[] scores) {
        List<Float> pos = new ArrayList<>();
        List<Float> neg = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (kinds.get(i) == Kind.HUMAN) {
                neg.add(scores[i]);
            } else if (positive.test(kinds.get(i))) {
                pos.add(scores[i]);
            }
        }
        float[] s = new float[pos.size() + neg.size()];
        float[] y = new float[s.length];
        for (int i = 0; i < pos.size(); i++) {
            s[i] = pos.get(i);
            y[i] = 1;
        }
        for (int i = 0; i < neg.size(); i++) {
            s[pos.size() + i] = neg.get(i);
        }
        return new Row(traffic, model, pos.size(), neg.size(), rocAuc(s, y), recallAt(pos, neg));
    }

    /** Recall at the lowest threshold that flags at most 1% of the humans' events (strictly above it). */
    static double recallAt(List<Float> positives, List<Float> negatives) {
        float[] sorted = new float[negatives.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = negatives.get(i);
        }
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(FALSE_POSITIVE_RATE * sorted.length);
        float threshold = sorted[sorted.length - 1 - allowed];
        return positives.stream().filter(p -> p > threshold).count() / (double) positives.size();
    }

    static double rocAuc(float[] scores, float[] labels) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1f) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
