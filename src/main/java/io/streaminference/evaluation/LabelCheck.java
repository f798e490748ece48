package io.streaminference.evaluation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.streaminference.contract.EventIds;
import io.streaminference.contract.Label;
import io.streaminference.contract.SessionIds;
import java.util.List;

/**
 * The labels topic's gate into the evaluation stage: a record is a {@link Label} the join can use, or a dead letter
 * with its reason. The key must be the label's entity key — labels and predictions are both keyed by entity, so only
 * then does a label reach the partition (and the task) that holds its prediction.
 *
 * @param eventLabels   the event model's labels; index 1 is the positive class
 * @param sessionLabels the session model's labels
 */
record LabelCheck(List<String> eventLabels, List<String> sessionLabels) {

    /** A usable label, or why the record is a dead letter (one of the {@code dlt-reason} codes below). */
    record Outcome(Label label, String reason, String detail) {

        boolean valid() {
            return label != null;
        }
    }

    Outcome check(String key, byte[] value) {
        Label label;
        try {
            label = value == null ? null : Label.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            return invalid("undecodable", "not a streaminference.v1.Label: " + e.getMessage());
        }
        if (label == null) {
            return invalid("undecodable", "no value");
        }
        return switch (label.getSubjectCase()) {
            case EVENT_ID -> EventIds.isValid(label.getEventId())
                    ? rest(key, label, eventLabels)
                    : invalid("invalid_id", "event_id is not a valid event id");
            case SESSION_ID -> SessionIds.isValid(label.getSessionId())
                    ? rest(key, label, sessionLabels)
                    : invalid("invalid_id", "session_id is not 32 lowercase hex digits");
            case SUBJECT_NOT_SET -> invalid("missing_field", "neither event_id nor session_id is set");
        };
    }

    private static Outcome rest(String key, Label label, List<String> labels) {
        if (label.getEntityKey().isEmpty()) {
            return invalid("missing_field", "entity_key is empty");
        }
        if (!label.getEntityKey().equals(key)) {
            return invalid("key_mismatch", "the record key is not the label's entity_key, so the label cannot reach "
                    + "the partition of its prediction");
        }
        if (!labels.contains(label.getLabel())) {
            return invalid("unknown_label", "label '" + clip(label.getLabel()) + "' is not one of " + labels);
        }
        return new Outcome(label, null, null);
    }

    private static Outcome invalid(String reason, String detail) {
        return new Outcome(null, reason, detail);
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
