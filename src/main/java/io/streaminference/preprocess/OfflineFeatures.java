package io.streaminference.preprocess;

import io.streaminference.contract.Features;
import java.nio.charset.StandardCharsets;

/**
 * Preprocessing outside the stream: model training and tests compute features exactly as the s0 → s1 stage does,
 * from the same parser and {@link Preprocessor}, with the limits the app ships with.
 */
public final class OfflineFeatures {

    private static final EventParser PARSER = new EventParser(PreprocessProperties.DEFAULT_MAX_EVENT_BYTES,
            PreprocessProperties.DEFAULT_MAX_NESTING_DEPTH);
    private static final Preprocessor PREPROCESSOR = new Preprocessor();

    private OfflineFeatures() {
    }

    /** @throws IllegalArgumentException naming the reason the pipeline would dead-letter the event */
    public static float[] of(String json) {
        return PREPROCESSOR.features(parse(json));
    }

    /**
     * The {@code Features} record the stream writes to s1 for the event, without its stream position and times.
     *
     * @throws IllegalArgumentException naming the reason the pipeline would dead-letter the event
     */
    public static Features features(String json) {
        return PREPROCESSOR.toFeatures(parse(json)).build();
    }

    private static ClickEvent parse(String json) {
        try {
            return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException(e.reason().code() + ": " + e.getMessage(), e);
        }
    }
}
