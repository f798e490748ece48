package io.streaminference.query;

/** Nothing stored under the id the request names (never seen, not there yet, or expired); answered with 404. */
final class NotFoundException extends RuntimeException {

    private final String title;

    private NotFoundException(String title, String detail) {
        super(detail);
        this.title = title;
    }

    static NotFoundException prediction(String eventId) {
        return new NotFoundException("Prediction not found", "No prediction stored for event " + eventId);
    }

    static NotFoundException session(String sessionId) {
        return new NotFoundException("Session not found", "No prediction stored for session " + sessionId);
    }

    /** Neither a stored prediction nor a dead letter of the event. */
    static NotFoundException journey(String eventId) {
        return new NotFoundException("Event not found",
                "No trace of event " + eventId + ": neither stored nor dead-lettered (yet, or it expired)");
    }

    static NotFoundException model(String name) {
        return new NotFoundException("Model not found",
                "No model " + name + " is configured, and no evaluation of one has been read");
    }

    String title() {
        return title;
    }
}
