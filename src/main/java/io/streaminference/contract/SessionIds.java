package io.streaminference.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A session's id: the first 128 bits of SHA-256 over its entity key and start time, in hex. Deterministic, so a
 * session emitted again after a crash or computed offline has the same id, and safe in a URL whatever the entity key
 * holds. A session that a late event merges with an earlier one starts earlier, and so gets a new id.
 */
public final class SessionIds {

    private SessionIds() {
    }

    public static String of(String entityKey, long startMs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(entityKey.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(startMs).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** The shape of an id, for the query API to refuse anything else. */
    public static boolean isValid(String id) {
        if (id.length() != 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
