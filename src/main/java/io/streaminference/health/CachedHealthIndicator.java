package io.streaminference.health;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A dependency's health check answered from its last result for a short while: the probes, the dashboard and anyone
 * polling the (open) health endpoint together cost the model server or Redis one check per {@link #TTL}, however
 * many ask. Callers that ask while a check runs wait for it and share its answer.
 */
public final class CachedHealthIndicator implements HealthIndicator {

    /** Short against the probes' periods (5–10 s), long against a flood of requests. */
    public static final Duration TTL = Duration.ofSeconds(2);

    private final HealthIndicator delegate;
    private final LongSupplier nanoClock;
    private Health last;
    private long checkedAt;

    public CachedHealthIndicator(HealthIndicator delegate) {
        this(delegate, System::nanoTime);
    }

    CachedHealthIndicator(HealthIndicator delegate, LongSupplier nanoClock) {
        this.delegate = delegate;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized Health health() {
        long now = nanoClock.getAsLong();
        if (last == null || now - checkedAt >= TTL.toNanos()) {
            last = delegate.health();
            checkedAt = nanoClock.getAsLong();
        }
        return last;
    }
}
