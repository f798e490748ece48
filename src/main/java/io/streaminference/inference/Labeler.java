package io.streaminference.inference;

import java.util.List;

/**
 * Names a row of scores: a single score is compared with the threshold (labels[1] at or above, else labels[0]);
 * k scores take the label of the highest, which needs k labels.
 */
final class Labeler {

    private final List<String> labels;
    private final double threshold;

    Labeler(List<String> labels, double threshold) {
        this.labels = List.copyOf(labels);
        this.threshold = threshold;
    }

    /** @return the label, or null when the scores have more columns than there are labels */
    String label(float[] scores) {
        if (scores.length == 1) {
            return labels.get(scores[0] >= threshold ? 1 : 0);
        }
        if (scores.length > labels.size()) {
            return null;
        }
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return labels.get(best);
    }
}
