package io.streaminference.query;

/** A request parameter breaks its documented rule; answered with 400 problem+json naming the parameter. */
class InvalidRequestException extends RuntimeException {

    InvalidRequestException(String message) {
        super(message);
    }
}
