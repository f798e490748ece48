package io.streaminference.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.contract.Label;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelCheckTests {

    static final String EVENT_ID = "evt-0001";
    static final String SESSION_ID = "0123456789abcdef0123456789abcdef";
    private final LabelCheck check = new LabelCheck(List.of("human", "bot"), List.of("human", "bot"));

    @Test
    void acceptsAnEventLabelAndASessionLabelKeyedByTheirEntity() {
        assertThat(check.check("u-1", event("u-1", "bot").toByteArray()).valid()).isTrue();
        assertThat(check.check("u-1", Label.newBuilder().setSessionId(SESSION_ID).setEntityKey("u-1")
                .setLabel("human").build().toByteArray()).valid()).isTrue();
    }

    @Test
    void deadLettersWhatCannotMeetItsPredictionWithTheReason() {
        assertThat(check.check("u-1", new byte[] {(byte) 0xff, 1, 2}).reason()).isEqualTo("undecodable");
        assertThat(check.check("u-1", null).reason()).isEqualTo("undecodable");
        assertThat(check.check("u-1", Label.newBuilder().setEntityKey("u-1").setLabel("bot").build().toByteArray())
                .reason()).isEqualTo("missing_field");
        assertThat(check.check("u-1", event("", "bot").toByteArray()).reason()).isEqualTo("missing_field");
        assertThat(check.check("u-2", event("u-1", "bot").toByteArray()).reason()).isEqualTo("key_mismatch");
        assertThat(check.check(null, event("u-1", "bot").toByteArray()).reason()).isEqualTo("key_mismatch");
        assertThat(check.check("u-1", event("u-1", "fraud").toByteArray()).reason()).isEqualTo("unknown_label");
        assertThat(check.check("u-1", Label.newBuilder().setEventId("bad id!").setEntityKey("u-1").setLabel("bot")
                .build().toByteArray()).reason()).isEqualTo("invalid_id");
        assertThat(check.check("u-1", Label.newBuilder().setSessionId("short").setEntityKey("u-1").setLabel("bot")
                .build().toByteArray()).reason()).isEqualTo("invalid_id");
    }

    static Label event(String entity, String label) {
        return Label.newBuilder().setEventId(EVENT_ID).setEntityKey(entity).setLabel(label).setLabelledAtMs(5)
                .setSource("review").build();
    }
}
