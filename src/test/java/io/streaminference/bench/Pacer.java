package io.streaminference.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop schedule both load steps share: one send every {@code 1/rate} seconds from the start, never waiting
 * for the system under test (a slow pipeline shows up as latency and lag, not as a slower producer), with a
 * sampling callback every 5 s from the end of the warm-up on.
 */
final class Pacer {

    static final long SAMPLE_EVERY_NANOS = 5_000_000_000L;

    interface Sampler {
        /** @param first true for the sample at the end of the warm-up */
        void sample(long nowNanos, boolean first) throws Exception;
    }

    private Pacer() {
    }

    /** The warm-up that precedes every measured window: a tenth of the phase, at least 5 s. */
    static int warmupSeconds(int seconds) {
        return Math.max(5, seconds / 10);
    }

    /**
     * Calls {@code send} on schedule for {@code seconds}, the first {@code warmupSeconds} of them unmeasured;
     * returns how many sends it made.
     */
    static long run(double rate, int seconds, int warmupSeconds, Sampler sampler, Runnable send) throws Exception {
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long nextSample = start + warmupSeconds * 1_000_000_000L;
        boolean first = true;
        long sent = 0;
        while (true) {
            long due = start + sent * intervalNanos;
            long now = System.nanoTime();
            if (due >= end) {
                return sent;
            }
            if (now >= nextSample) {
                sampler.sample(now, first);
                first = false;
                nextSample += SAMPLE_EVERY_NANOS;
            } else if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, nextSample - now));
            } else {
                send.run();
                sent++;
            }
        }
    }
}
