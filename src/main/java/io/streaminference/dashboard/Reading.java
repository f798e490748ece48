package io.streaminference.dashboard;

import java.util.Map;

/**
 * One reading of the app's cumulative meters at a moment: each under a key naming what it counts
 * ({@code in|<stage>}, {@code dl|<stage>|<reason>}, {@code pred|<stage>|<model>|<version>|<label>},
 * {@code score|<stage>|<model>|<version>|<upper bound>}, {@code lat|<upper bound ms>}, {@code lat|count}). Rates and
 * windowed distributions are differences between two readings, so every number on the page comes from meters the
 * app keeps anyway.
 */
record Reading(long atMs, Map<String, Double> values) {

    double get(String key) {
        return values.getOrDefault(key, 0.0);
    }

    /** How much a cumulative value grew since {@code earlier}; a reset (a meter registered again) counts from 0. */
    double since(Reading earlier, String key) {
        double now = get(key);
        double then = earlier.get(key);
        return now >= then ? now - then : now;
    }
}
