package io.streaminference.contract;

import java.util.List;

/**
 * The s1 feature-vector layout shared by the preprocessor that writes it and the inference stage that checks it.
 * Changing the order or meaning of a feature means a new {@link #VERSION} and a retrained model.
 */
public final class FeatureSchema {

    public static final int VERSION = 1;

    /** Feature names in vector order; README.md documents each one. */
    public static final List<String> NAMES = List.of(
            "hour_sin",
            "hour_cos",
            "path_depth",
            "static_asset",
            "status_3xx",
            "status_4xx",
            "status_5xx",
            "log_bytes",
            "log_duration",
            "bot_user_agent",
            "referrer_present",
            "non_get_method",
            "has_query",
            "sensitive_path");

    public static final int SIZE = NAMES.size();

    private FeatureSchema() {
    }
}
