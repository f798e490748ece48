package io.streaminference.preprocess;

/** An s0 record that can never become features; it goes to s0's dead-letter topic with its reason. */
class InvalidEventException extends Exception {

    private final EventReason reason;

    InvalidEventException(EventReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    EventReason reason() {
        return reason;
    }
}
