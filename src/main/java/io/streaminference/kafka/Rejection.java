package io.streaminference.kafka;

import java.util.Map;

/**
 * Why one record cannot be processed, ever: the content of its dead-letter headers.
 *
 * @param reason    stable machine-readable code, e.g. {@code missing_field}, also the metric tag
 * @param detail    human-readable explanation naming the offending field or value
 * @param errorType the classified error behind it
 * @param context   extra headers, e.g. the model name and version that rejected the record
 */
public record Rejection(String reason, String detail, Class<? extends Throwable> errorType, Map<String, String> context) {

    public Rejection(String reason, String detail, Class<? extends Throwable> errorType) {
        this(reason, detail, errorType, Map.of());
    }
}
