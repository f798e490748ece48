package io.streaminference.query;

/** No prediction is stored for the event id (never seen, not scored yet, or expired); answered with 404. */
class PredictionNotFoundException extends RuntimeException {

    PredictionNotFoundException(String eventId) {
        super("No prediction stored for event " + eventId);
    }
}
