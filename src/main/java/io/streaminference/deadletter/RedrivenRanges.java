package io.streaminference.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offsets of one dead-letter partition that have been redriven, as disjoint inclusive ranges: what makes a redrive
 * idempotent. Kept in the metadata of the redrive group's committed offset for the partition (written in the same
 * transaction as the replayed records), formatted {@code "0-99,120-180"}; Kafka allows 4,096 bytes of it by default
 * ({@code offset.metadata.max.bytes}), a few hundred separate ranges.
 */
final class RedrivenRanges {

    /** Below Kafka's default {@code offset.metadata.max.bytes}. */
    static final int MAX_FORMATTED_LENGTH = 4_000;

    /** from → to, disjoint, never adjacent (adjacent ranges are merged). */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    static RedrivenRanges parse(String metadata) {
        RedrivenRanges parsed = new RedrivenRanges();
        if (metadata == null || metadata.isBlank()) {
            return parsed;
        }
        for (String range : metadata.split(",")) {
            int dash = range.indexOf('-');
            try {
                parsed.add(Long.parseLong(range.substring(0, dash).trim()), Long.parseLong(range.substring(dash + 1).trim()));
            } catch (RuntimeException e) {
                throw new IllegalStateException("Unreadable redrive record '" + metadata + "'", e);
            }
        }
        return parsed;
    }

    /** Marks {@code from..to} (inclusive) redriven. */
    void add(long from, long to) {
        if (to < from) {
            return;
        }
        long start = from;
        long end = to;
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() <= end + 1) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
    }

    /** The parts of {@code from..to} (inclusive) not redriven yet, in order. */
    List<long[]> missing(long from, long to) {
        List<long[]> gaps = new ArrayList<>();
        long cursor = from;
        Map.Entry<Long, Long> covering = ranges.floorEntry(from);
        if (covering != null && covering.getValue() >= from) {
            cursor = covering.getValue() + 1;
        }
        for (Map.Entry<Long, Long> range : ranges.tailMap(from, false).entrySet()) {
            if (cursor > to || range.getKey() > to) {
                break;
            }
            if (range.getKey() > cursor) {
                gaps.add(new long[] {cursor, range.getKey() - 1});
            }
            cursor = Math.max(cursor, range.getValue() + 1);
        }
        if (cursor <= to) {
            gaps.add(new long[] {cursor, to});
        }
        return gaps;
    }

    /** Offsets of {@code from..to} already redriven. */
    long coveredWithin(long from, long to) {
        long total = to - from + 1;
        for (long[] gap : missing(from, to)) {
            total -= gap[1] - gap[0] + 1;
        }
        return total;
    }

    /** The offset a consumer of the redrive group would resume at: after the highest redriven offset. */
    long next() {
        return ranges.isEmpty() ? 0 : ranges.lastEntry().getValue() + 1;
    }

    String format() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Long, Long> range : ranges.entrySet()) {
            text.append(text.isEmpty() ? "" : ",").append(range.getKey()).append('-').append(range.getValue());
        }
        return text.toString();
    }
}
