package io.streaminference.evaluation;

import io.streaminference.contract.Label;
import io.streaminference.contract.PendingPrediction;

/**
 * What the evaluation join takes in: a prediction or a label, each under its subject key ({@code e:<event id>} or
 * {@code s:<session id>}), the key the two sides meet on. Records keep their entity key, so no repartition is needed.
 */
sealed interface Joinable {

    String subject();

    record Scored(String subject, PendingPrediction prediction) implements Joinable {
    }

    record Labelled(String subject, Label label) implements Joinable {
    }

    static String eventSubject(String eventId) {
        return "e:" + eventId;
    }

    static String sessionSubject(String sessionId) {
        return "s:" + sessionId;
    }
}
