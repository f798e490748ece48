package io.streaminference.contract;

/**
 * The event id rule shared by the input contract (s0) and the query API: an id is the Redis key of its prediction,
 * so both sides must agree on which ids exist.
 */
public final class EventIds {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-]";

    private EventIds() {
    }

    /**
     * A loop rather than a regex: it runs for every event, and java.util.regex showed in the drain profiles
     * (docs/benchmarks.md).
     */
    public static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
