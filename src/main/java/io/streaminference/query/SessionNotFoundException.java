package io.streaminference.query;

/** No prediction is stored for the session id (unknown, not closed or scored yet, or expired); answered with 404. */
class SessionNotFoundException extends RuntimeException {

    SessionNotFoundException(String sessionId) {
        super("No prediction stored for session " + sessionId);
    }
}
