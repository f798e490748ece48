package io.streaminference.evaluation;

import java.util.Arrays;

/**
 * The last {@code capacity} labelled predictions of one model version (a ring), and what they say of it: accuracy,
 * ROC AUC, log loss and the score distribution. Pure arithmetic, safe for the feed thread writing while the API and
 * the metrics read.
 */
final class VersionWindow {

    static final int BUCKETS = 10;
    /** Scores are clamped this far from 0 and 1 for the log loss, as scikit-learn and Keras do. */
    static final double EPSILON = 1e-7;

    private final float[] scores;
    private final boolean[] positives;
    private final boolean[] correct;
    private int next;
    private int size;
    private long total;
    /** Each gauge of each scrape asks; a window that has not changed is not sorted again. */
    private OnlineMetrics cached;

    VersionWindow(int capacity) {
        this.scores = new float[capacity];
        this.positives = new boolean[capacity];
        this.correct = new boolean[capacity];
    }

    /** @param right whether the predicted label was the label */
    synchronized void add(float score, boolean positive, boolean right) {
        scores[next] = score;
        positives[next] = positive;
        correct[next] = right;
        next = (next + 1) % scores.length;
        size = Math.min(size + 1, scores.length);
        total++;
    }

    synchronized OnlineMetrics metrics() {
        if (cached != null && cached.labelled() == total) {
            return cached;
        }
        int n = size;
        int positiveCount = 0;
        int right = 0;
        double loss = 0;
        long[] histogram = new long[BUCKETS];
        for (int i = 0; i < n; i++) {
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, scores[i]));
            positiveCount += positives[i] ? 1 : 0;
            right += correct[i] ? 1 : 0;
            loss -= positives[i] ? Math.log(p) : Math.log(1 - p);
            histogram[Math.min(BUCKETS - 1, Math.max(0, (int) (scores[i] * BUCKETS)))]++;
        }
        cached = new OnlineMetrics(total, n, positiveCount, n == 0 ? null : (Double) ((double) right / n),
                auc(n, positiveCount), n == 0 ? null : (Double) (loss / n), histogram);
        return cached;
    }

    /** Mann–Whitney: the share of (positive, negative) pairs the scores order right, ties counting half. */
    private Double auc(int n, int positiveCount) {
        int negativeCount = n - positiveCount;
        if (positiveCount == 0 || negativeCount == 0) {
            return null;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double positiveRanks = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positives[order[k]]) {
                    positiveRanks += rank;
                }
            }
            i = j + 1;
        }
        return (positiveRanks - positiveCount * (positiveCount + 1) / 2.0) / ((double) positiveCount * negativeCount);
    }
}
