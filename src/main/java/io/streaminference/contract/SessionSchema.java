package io.streaminference.contract;

import java.util.List;

/**
 * The session feature vector ({@code SessionFeatures.values}) shared by the session stage that writes it, the
 * inference stage that checks it and the trainer. Changing the order or meaning of a feature means a new
 * {@link #VERSION} and a retrained session model; README.md documents each one.
 */
public final class SessionSchema {

    public static final int VERSION = 1;

    /** Feature names in vector order. */
    public static final List<String> NAMES = List.of(
            "log_duration",
            "log_event_count",
            "log_events_per_minute",
            "log_gap_mean",
            "log_gap_min",
            "gap_cv",
            "static_asset_share",
            "status_4xx_share",
            "sensitive_path_share",
            "non_get_share",
            "distinct_path_ratio",
            "bot_user_agent_share",
            "referrer_share",
            "mean_path_depth");

    public static final int SIZE = NAMES.size();

    private SessionSchema() {
    }
}
