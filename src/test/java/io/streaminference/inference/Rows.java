package io.streaminference.inference;

import io.streaminference.contract.FeatureSchema;
import io.streaminference.contract.Features;
import java.util.ArrayList;
import java.util.List;

/** Feature rows for inference tests; row i has every feature equal to i (or {@code poison} in feature 0). */
final class Rows {

    private Rows() {
    }

    static List<Features> of(int n) {
        List<Features> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(row(i, i));
        }
        return rows;
    }

    static Features row(int id, float first) {
        Features.Builder row = Features.newBuilder().setEventId("e" + id).setEntityKey("u")
                .setSchemaVersion(FeatureSchema.VERSION).addValues(first);
        for (int j = 1; j < FeatureSchema.SIZE; j++) {
            row.addValues(id);
        }
        return row.build();
    }
}
