package io.streaminference.delivery;

/** The broker did not acknowledge a batch's output in time; transient, so the batch is retried, not skipped. */
public class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
