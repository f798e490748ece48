package io.streaminference.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredValueTests {

    @Test
    void readsBackWhatItWroteWhateverTheEntityAndMessageHold() {
        byte[] message = {0, ',', 1, (byte) 0xff, ','};
        StoredRecord record = new StoredRecord("e-1", "ünïcode, with commas|and bars", 5, 1_700_000_000_123L, 5, 0,
                message, "s2:1:42");

        StoredValue value = StoredValue.decode(StoredValue.encode(record, 1_700_000_000_999L));

        assertThat(value.predictedAtMs()).isEqualTo(1_700_000_000_123L);
        assertThat(value.entityKey()).isEqualTo("ünïcode, with commas|and bars");
        assertThat(value.storedAtMs()).isEqualTo(1_700_000_000_999L);
        assertThat(value.from()).isEqualTo("s2:1:42");
        assertThat(value.message()).containsExactly(message);
    }

    @Test
    void refusesWhatIsNotAStoredRecord() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> StoredValue.decode("plain text".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAnIndexEntryKeepingEachIdsLatestTime() {
        Map<String, Long> times = new HashMap<>();
        StoredLookup.parseEntries("3| a/10 b:c.d-e_f/-5 a/12", times);
        assertThat(times).containsExactlyInAnyOrderEntriesOf(Map.of("a", 12L, "b:c.d-e_f", -5L));
    }
}
