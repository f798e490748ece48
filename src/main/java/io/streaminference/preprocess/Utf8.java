package io.streaminference.preprocess;

/**
 * Strict check that bytes are UTF-8 JSON text (RFC 3629, RFC 8259): rejects overlong forms, surrogates, code points
 * above U+10FFFF, and NUL. NUL is valid UTF-8, but JSON text never contains it raw (in a string it must be escaped),
 * and its zero bytes are how UTF-16 and UTF-32 text shows: a JSON parser detects those encodings and accepts them.
 */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return false;
                }
                i++;
                continue;
            }
            int extra;
            int min;
            int codePoint;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = 0x800;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = 0x10000;
                codePoint = b & 0x07;
            } else {
                return false;
            }
            if (i + extra >= n) {
                return false;
            }
            for (int k = 1; k <= extra; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (c & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }
}
