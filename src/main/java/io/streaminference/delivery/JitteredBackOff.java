package io.streaminference.delivery;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Exponential back-off with ±20% jitter and no limit on attempts: a transient failure is retried until it clears,
 * and replicas that failed together do not retry in lock-step.
 */
public final class JitteredBackOff implements BackOff {

    private final long initialMillis;
    private final long maxMillis;

    public JitteredBackOff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
    }

    @Override
    public BackOffExecution start() {
        return new BackOffExecution() {
            private long current = initialMillis;

            @Override
            public long nextBackOff() {
                long base = current;
                current = Math.min(maxMillis, current * 2);
                double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
                return Math.max(1, Math.round(base * jitter));
            }
        };
    }
}
