package io.streaminference.breaker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a stage from retrying against a dependency that is down. After {@code failureThreshold} consecutive failed
 * batches it pauses the stage's listener — the consumer keeps polling (so no rebalance) but receives nothing — and
 * probes the dependency every {@code probeInterval}; the first successful probe resumes the listener, and the next
 * batch decides: success closes the breaker, failure opens it again at once.
 */
public final class CircuitBreaker {

    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String stage;
    private final int failureThreshold;
    private final Duration probeInterval;
    private final BooleanSupplier probe;
    private final Runnable pause;
    private final Runnable resume;
    private final ScheduledExecutorService scheduler;
    private final Counter failures;
    private volatile State state = State.CLOSED;
    private int consecutiveFailures;

    public CircuitBreaker(String stage, BreakerProperties properties, BooleanSupplier probe, Runnable pause,
            Runnable resume, ScheduledExecutorService scheduler, MeterRegistry registry) {
        this.stage = stage;
        this.failureThreshold = properties.failureThreshold();
        this.probeInterval = properties.probeInterval();
        this.probe = probe;
        this.pause = pause;
        this.resume = resume;
        this.scheduler = scheduler;
        this.failures = Counter.builder("pipeline.batch.failures").tag("stage", stage)
                .description("Failed batch attempts (each is retried)").register(registry);
        Gauge.builder("pipeline.breaker.open", this, b -> b.state == State.CLOSED ? 0 : 1).tag("stage", stage)
                .description("1 while the stage's circuit breaker is open or half-open").register(registry);
    }

    public synchronized void succeeded() {
        consecutiveFailures = 0;
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            log.info("Stage {}: dependency healthy again, circuit closed", stage);
        }
    }

    public synchronized void failed(Throwable cause) {
        failures.increment();
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= failureThreshold)) {
            state = State.OPEN;
            log.warn("Stage {}: {} consecutive failed batches ({}), pausing the listener and probing every {}", stage,
                    consecutiveFailures, cause.toString(), probeInterval);
            pause.run();
            scheduleProbe();
        }
    }

    public State state() {
        return state;
    }

    /** One probe now; scheduled while open, callable directly by tests. */
    void probeOnce() {
        boolean healthy;
        try {
            healthy = probe.getAsBoolean();
        } catch (RuntimeException e) {
            healthy = false;
        }
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            if (healthy) {
                state = State.HALF_OPEN;
                log.info("Stage {}: dependency answers, resuming the listener", stage);
                resume.run();
            } else {
                scheduleProbe();
            }
        }
    }

    private void scheduleProbe() {
        scheduler.schedule(this::probeOnce, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
}
