package io.streaminference.sessions;

import com.google.protobuf.ByteString;
import io.streaminference.contract.Features;
import io.streaminference.contract.SessionFeatures;
import io.streaminference.contract.SessionIds;
import io.streaminference.contract.SessionSchema;
import io.streaminference.contract.SessionState;
import java.util.Arrays;

/**
 * The session aggregate and its summary, as pure functions: a session's {@link SessionState} grows by
 * {@link #add adding} events and {@link #merge merging} sessions, and becomes the documented feature vector
 * ({@link SessionSchema}) when it closes. The state is bounded (at most {@link #EARLIEST_KEPT} event times and a
 * {@value #BITMAP_BITS}-bit path bitmap) and independent of the order its events arrived in — sums of exact values,
 * the earliest times as a sorted multiset, an OR of bitmaps — so the stream, a replay after a crash and the offline
 * computation of the trainer and the tests all get identical sessions.
 */
public final class SessionMath {

    /** Event times kept per session; the gap statistics are taken over the session's earliest events. */
    static final int EARLIEST_KEPT = 256;
    static final int BITMAP_BITS = 1024;

    /** Event features summed per session (FeatureSchema indexes), each 0/1 or k/10 so that double sums are exact. */
    private static final int[] SUMMED = {3, 5, 13, 11, 9, 10, 2};
    private static final int STATIC = 0;
    private static final int STATUS_4XX = 1;
    private static final int SENSITIVE = 2;
    private static final int NON_GET = 3;
    private static final int BOT_AGENT = 4;
    private static final int REFERRER = 5;
    private static final int PATH_DEPTH = 6;

    private SessionMath() {
    }

    public static SessionState empty() {
        return SessionState.newBuilder()
                .setFirstMs(Long.MAX_VALUE)
                .setLastMs(Long.MIN_VALUE)
                .addAllFeatureSums(Arrays.stream(new double[SUMMED.length]).boxed().toList())
                .setPathBitmap(ByteString.copyFrom(new byte[BITMAP_BITS / 8]))
                .build();
    }

    public static SessionState add(SessionState state, Features event) {
        long time = event.getEventTimeMs();
        SessionState.Builder next = state.toBuilder()
                .setFirstMs(Math.min(state.getFirstMs(), time))
                .setLastMs(Math.max(state.getLastMs(), time))
                .setEventCount(state.getEventCount() + 1)
                .clearEarliestMs()
                .addAllEarliestMs(Arrays.stream(keepEarliest(times(state), new long[] {time})).boxed().toList());
        for (int i = 0; i < SUMMED.length; i++) {
            next.setFeatureSums(i, state.getFeatureSums(i) + event.getValues(SUMMED[i]));
        }
        if (event.getPathHash() != 0) {
            byte[] bitmap = state.getPathBitmap().toByteArray();
            int bit = bit(event.getPathHash());
            bitmap[bit >>> 3] |= (byte) (1 << (bit & 7));
            next.setPathBitmap(ByteString.copyFrom(bitmap)).setHashedEvents(state.getHashedEvents() + 1);
        }
        return next.build();
    }

    public static SessionState merge(SessionState a, SessionState b) {
        SessionState.Builder merged = SessionState.newBuilder()
                .setFirstMs(Math.min(a.getFirstMs(), b.getFirstMs()))
                .setLastMs(Math.max(a.getLastMs(), b.getLastMs()))
                .setEventCount(a.getEventCount() + b.getEventCount())
                .addAllEarliestMs(Arrays.stream(keepEarliest(times(a), times(b))).boxed().toList())
                .setHashedEvents(a.getHashedEvents() + b.getHashedEvents());
        for (int i = 0; i < SUMMED.length; i++) {
            merged.addFeatureSums(a.getFeatureSums(i) + b.getFeatureSums(i));
        }
        byte[] bits = a.getPathBitmap().toByteArray();
        byte[] other = b.getPathBitmap().toByteArray();
        for (int i = 0; i < bits.length; i++) {
            bits[i] |= other[i];
        }
        return merged.setPathBitmap(ByteString.copyFrom(bits)).build();
    }

    /** The summary of a session, {@code last} true when it has closed. */
    public static SessionFeatures summary(String entityKey, SessionState state, boolean last, long emittedAtMs) {
        SessionFeatures.Builder summary = SessionFeatures.newBuilder()
                .setSessionId(SessionIds.of(entityKey, state.getFirstMs()))
                .setEntityKey(entityKey)
                .setStartMs(state.getFirstMs())
                .setEndMs(state.getLastMs())
                .setEventCount(state.getEventCount())
                .setSchemaVersion(SessionSchema.VERSION)
                .setFinal(last)
                .setEmittedAtMs(emittedAtMs);
        for (float value : features(state)) {
            summary.addValues(value);
        }
        return summary.build();
    }

    /** The {@link SessionSchema} vector of a session. */
    public static float[] features(SessionState state) {
        float[] f = new float[SessionSchema.SIZE];
        int count = state.getEventCount();
        double durationSeconds = (state.getLastMs() - state.getFirstMs()) / 1000.0;
        f[0] = (float) (Math.log1p(durationSeconds) / 10);
        f[1] = (float) (Math.log1p(count) / 10);
        f[2] = (float) (Math.log1p(count * 60.0 / Math.max(durationSeconds, 1.0)) / 10);
        Gaps gaps = Gaps.of(times(state));
        f[3] = (float) (Math.log1p(gaps.meanSeconds()) / 5);
        f[4] = (float) (Math.log1p(gaps.minSeconds()) / 5);
        f[5] = (float) (Math.min(gaps.coefficientOfVariation(), 5) / 5);
        f[6] = share(state, STATIC);
        f[7] = share(state, STATUS_4XX);
        f[8] = share(state, SENSITIVE);
        f[9] = share(state, NON_GET);
        f[10] = (float) distinctPathRatio(state);
        f[11] = share(state, BOT_AGENT);
        f[12] = share(state, REFERRER);
        f[13] = share(state, PATH_DEPTH);
        return f;
    }

    /** Distinct paths per event with a path hash, by linear counting over the bitmap; 1 when none had a hash. */
    static double distinctPathRatio(SessionState state) {
        if (state.getHashedEvents() == 0) {
            return 1;
        }
        int zeros = 0;
        for (byte b : state.getPathBitmap().toByteArray()) {
            zeros += 8 - Integer.bitCount(b & 0xFF);
        }
        double distinct = zeros == 0 ? BITMAP_BITS * Math.log(BITMAP_BITS)
                : -BITMAP_BITS * Math.log((double) zeros / BITMAP_BITS);
        return Math.min(1, distinct / state.getHashedEvents());
    }

    private static float share(SessionState state, int summed) {
        return (float) (state.getFeatureSums(summed) / state.getEventCount());
    }

    private static int bit(long pathHash) {
        return (int) (pathHash ^ (pathHash >>> 32)) & (BITMAP_BITS - 1);
    }

    private static long[] times(SessionState state) {
        long[] times = new long[state.getEarliestMsCount()];
        for (int i = 0; i < times.length; i++) {
            times[i] = state.getEarliestMs(i);
        }
        return times;
    }

    /** The {@link #EARLIEST_KEPT} smallest of two ascending lists, ascending. */
    private static long[] keepEarliest(long[] a, long[] b) {
        long[] kept = new long[Math.min(EARLIEST_KEPT, a.length + b.length)];
        int i = 0;
        int j = 0;
        for (int k = 0; k < kept.length; k++) {
            kept[k] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
        }
        return kept;
    }

    /** Inter-event gaps of ascending event times. */
    record Gaps(double meanSeconds, double minSeconds, double coefficientOfVariation) {

        /** Fewer than three gaps say nothing about regularity: their variation counts as that of random arrivals. */
        static final double UNKNOWN_VARIATION = 1;

        static Gaps of(long[] ascending) {
            int n = ascending.length - 1;
            if (n < 1) {
                return new Gaps(0, 0, UNKNOWN_VARIATION);
            }
            double sum = 0;
            double min = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                double gap = (ascending[i + 1] - ascending[i]) / 1000.0;
                sum += gap;
                min = Math.min(min, gap);
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double deviation = (ascending[i + 1] - ascending[i]) / 1000.0 - mean;
                squares += deviation * deviation;
            }
            double variation = n < 3 ? UNKNOWN_VARIATION : mean == 0 ? 0 : Math.sqrt(squares / n) / mean;
            return new Gaps(mean, min, variation);
        }
    }
}
