package io.streaminference.preprocess;

import java.util.Locale;

/** Why an s0 record was dead-lettered; {@link #code()} is the {@code dlt-reason} header and metric tag. */
enum EventReason {
    EMPTY_VALUE,
    TOO_LARGE,
    INVALID_UTF8,
    NOT_JSON,
    TOO_DEEP,
    NOT_OBJECT,
    MISSING_FIELD,
    WRONG_TYPE,
    OUT_OF_RANGE,
    INVALID_FORMAT;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
