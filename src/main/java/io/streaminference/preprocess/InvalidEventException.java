package io.streaminference.preprocess;

/** An s0 record that can never become features; it goes to s0's dead-letter topic with its reason. */
class InvalidEventException extends Exception {

    private final RejectReason reason;

    InvalidEventException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }
}
