package io.streaminference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Tests {

    @Test
    void acceptsOneToFourByteSequences() {
        assertThat(Utf8.isValid("a é € 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isValid(new byte[0])).isTrue();
    }

    @Test
    void rejectsOverlongFormsSurrogatesTruncationAndOutOfRangeCodePoints() {
        assertThat(Utf8.isValid(bytes(0xC0, 0xAF))).as("overlong '/'").isFalse();
        assertThat(Utf8.isValid(bytes(0xE0, 0x80, 0xAF))).as("overlong 3-byte").isFalse();
        assertThat(Utf8.isValid(bytes(0xED, 0xA0, 0x80))).as("surrogate U+D800").isFalse();
        assertThat(Utf8.isValid(bytes(0xE2, 0x82))).as("truncated").isFalse();
        assertThat(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isFalse();
        assertThat(Utf8.isValid(bytes(0x80))).as("lone continuation").isFalse();
        assertThat(Utf8.isValid(bytes(0xFF))).isFalse();
    }

    @Test
    void rejectsNulWhichJsonTextNeverHoldsRawAndUtf16Shows() {
        assertThat(Utf8.isValid(bytes('{', 0, '}', 0))).isFalse();
        assertThat(Utf8.isValid("{\"a\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8))).as("escaped NUL").isTrue();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
