package io.streaminference.inference;

import io.streaminference.contract.FeatureSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feature rows for inference tests; row i has every feature equal to i (or {@code first} in feature 0). */
final class Rows {

    private Rows() {
    }

    static List<float[]> of(int n) {
        List<float[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(row(i, i));
        }
        return rows;
    }

    static float[] row(int id, float first) {
        float[] row = new float[FeatureSchema.SIZE];
        Arrays.fill(row, id);
        row[0] = first;
        return row;
    }
}
