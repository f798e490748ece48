package io.streaminference.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stored record as the store holds it: the message bytes behind a short header that the store's script and the
 * readers share — {@code <predicted_at>,<entity byte length>,<entity><stored_at>,<read from>,<message>}. Predicted-at
 * and entity come first because the script reads only them (newer wins, an id stays with its entity).
 *
 * @param predictedAtMs when it was predicted
 * @param entityKey     the entity the id belongs to
 * @param storedAtMs    when the sink wrote it
 * @param from          {@code topic:partition:offset} it was read from, empty when unknown
 * @param message       the Prediction or SessionPrediction protobuf, as read from Kafka
 */
public record StoredValue(long predictedAtMs, String entityKey, long storedAtMs, String from, byte[] message) {

    static byte[] encode(StoredRecord record, long storedAtMs) {
        byte[] entity = record.entityKey().getBytes(StandardCharsets.UTF_8);
        byte[] head = (record.predictedAtMs() + "," + entity.length + ",").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (storedAtMs + "," + record.from() + ",").getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[head.length + entity.length + tail.length + record.bytes().length];
        int at = 0;
        for (byte[] part : new byte[][] {head, entity, tail, record.bytes()}) {
            System.arraycopy(part, 0, value, at, part.length);
            at += part.length;
        }
        return value;
    }

    /** @throws IllegalArgumentException when {@code value} is not in the store's format */
    public static StoredValue decode(byte[] value) {
        try {
            int c1 = comma(value, 0);
            int c2 = comma(value, c1 + 1);
            long predictedAt = Long.parseLong(ascii(value, 0, c1));
            int entityEnd = c2 + 1 + Integer.parseInt(ascii(value, c1 + 1, c2));
            String entity = new String(value, c2 + 1, entityEnd - c2 - 1, StandardCharsets.UTF_8);
            int c3 = comma(value, entityEnd);
            int c4 = comma(value, c3 + 1);
            return new StoredValue(predictedAt, entity, Long.parseLong(ascii(value, entityEnd, c3)),
                    new String(value, c3 + 1, c4 - c3 - 1, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(value, c4 + 1, value.length));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a stored record", e);
        }
    }

    private static int comma(byte[] value, int from) {
        for (int i = from; i < value.length; i++) {
            if (value[i] == ',') {
                return i;
            }
        }
        throw new IllegalArgumentException("missing ','");
    }

    private static String ascii(byte[] value, int from, int to) {
        return new String(value, from, to - from, StandardCharsets.US_ASCII);
    }
}
