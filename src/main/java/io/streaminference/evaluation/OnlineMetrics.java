package io.streaminference.evaluation;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How one model version does on live labelled traffic, over its last {@code window} labelled predictions.
 *
 * @param labelled  labelled predictions of the version the instance has read (its window is the last of them)
 * @param window    how many the metrics cover
 * @param positives how many of those were labelled with the positive class
 * @param accuracy  (null while the window is empty) share whose predicted label was the label (the threshold's verdict)
 * @param auc       ROC AUC of the scores; null while the window holds one class only
 * @param logLoss   mean cross-entropy of the scores, clamped 1e-7 from 0 and 1
 * @param histogram scores per tenth: [0, 0.1), [0.1, 0.2) … [0.9, 1]
 */
public record OnlineMetrics(
        @JsonProperty("labelled") long labelled,
        @JsonProperty("window") int window,
        @JsonProperty("positives") int positives,
        @JsonProperty("accuracy") Double accuracy,
        @JsonProperty("auc") Double auc,
        @JsonProperty("log_loss") Double logLoss,
        @JsonProperty("score_histogram") long[] histogram) {
}
