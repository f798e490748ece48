package io.streaminference.evaluation;

/** What the evaluation join reports, for its metrics; every input ends in exactly one of these outcomes over time. */
interface JoinCounters {

    void prediction();

    void label();

    /** A label met its prediction: an evaluation went out. */
    void matched();

    /** A label waited a whole join window for its prediction and was let go. */
    void unmatchedLabel();

    void deadLetter(String reason);
}
