package io.streaminference.deadletter;

import java.util.Map;

/**
 * Why a record is a dead letter: what its dead-letter headers say.
 *
 * @param code      stable machine-readable reason, e.g. {@code missing_field}: the {@code dlt-reason} header and the
 *                  metric tag
 * @param detail    human-readable explanation naming the offending field or value
 * @param errorType the classified error behind it
 * @param context   extra headers, e.g. the model name and version that refused the record
 */
public record Reason(String code, String detail, Class<? extends Throwable> errorType, Map<String, String> context) {

    public Reason(String code, String detail, Class<? extends Throwable> errorType) {
        this(code, detail, errorType, Map.of());
    }
}
