package io.streaminference.query;

/** Neither a stored prediction nor a dead letter of the event: not seen, not there yet, or expired. */
class JourneyNotFoundException extends RuntimeException {

    JourneyNotFoundException(String eventId) {
        super("No trace of event " + eventId + ": neither stored nor dead-lettered (yet, or it expired)");
    }
}
