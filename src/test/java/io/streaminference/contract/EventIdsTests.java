package io.streaminference.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdsTests {

    @ParameterizedTest
    @ValueSource(strings = {"e", "3f2b9c1e-8d4a-4c2e-9b7f-1a2b3c4d5e6f", "order:42", "a.b_c-D:9"})
    void acceptsLettersDigitsAndSeparators(String id) {
        assertThat(EventIds.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/inside", "star*", "ümlaut", "tab\t", "new\nline", "semi;colon"})
    void rejectsEmptyIdsAndOtherCharacters(String id) {
        assertThat(EventIds.isValid(id)).isFalse();
    }

    @Test
    void acceptsUpToMaxLength() {
        assertThat(EventIds.isValid("a".repeat(EventIds.MAX_LENGTH))).isTrue();
        assertThat(EventIds.isValid("a".repeat(EventIds.MAX_LENGTH + 1))).isFalse();
    }
}
