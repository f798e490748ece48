package io.streaminference.breaker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.delivery.KafkaPrincipalName;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a stage from retrying against a dependency that is down. When one of the stage's consumers has
 * {@code failureThreshold} consecutive failed batches, the breaker pauses the stage's listener — its consumers keep
 * polling (so no rebalance) but receive nothing — and probes <em>the dependency that failed</em> (the failure picks its
 * probe: the model, Redis, or the Kafka topics a publish went to) every {@code probeInterval}; the first successful
 * probe resumes the listener, and the next batch decides: success closes the breaker, failure opens it again at once.
 *
 * <p>Streaks are counted per consumer thread: a stage runs several consumers, and one consumer's good batch says
 * nothing about another's failing one. {@link #succeeded()} is meant to run once a batch has committed.
 */
public final class CircuitBreaker {

    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String stage;
    private final int failureThreshold;
    private final Duration probeInterval;
    private final Function<Throwable, BooleanSupplier> probeFor;
    private final Runnable pause;
    private final Runnable resume;
    private final Scheduler scheduler;
    private final Counter failures;
    private final Map<Long, Integer> streaks = new ConcurrentHashMap<>();
    private volatile State state = State.CLOSED;
    private BooleanSupplier probe;
    private volatile long openedAtNanos;
    /** Some consumer's last batch failed: the outage has been reported and its end will be. */
    private boolean failing;
    private long failedBatches;
    /** Why the breaker opened, while it is open; null while closed. */
    private volatile Throwable openedBy;

    /**
     * @param probeFor the probe of the dependency a failure shows is down; called with the failure that opens the
     *                 breaker
     */
    public CircuitBreaker(String stage, BreakerProperties properties, Function<Throwable, BooleanSupplier> probeFor,
            Runnable pause, Runnable resume, Scheduler scheduler, MeterRegistry registry) {
        this.stage = stage;
        this.failureThreshold = properties.failureThreshold();
        this.probeInterval = properties.probeInterval();
        this.probeFor = probeFor;
        this.pause = pause;
        this.resume = resume;
        this.scheduler = scheduler;
        this.failures = Counter.builder("pipeline.batch.failures").tag("stage", stage)
                .description("Failed batch attempts (each is retried)").register(registry);
        Gauge.builder("pipeline.breaker.open", this, b -> b.state == State.CLOSED ? 0 : 1).tag("stage", stage)
                .description("1 while the stage's circuit breaker is open or half-open").register(registry);
        Gauge.builder("pipeline.breaker.open.seconds", this, CircuitBreaker::openSeconds).tag("stage", stage)
                .description("How long the stage's listener has been paused by its breaker; 0 while closed")
                .register(registry);
    }

    /** A batch of the calling consumer committed. */
    public synchronized void succeeded() {
        streaks.remove(Thread.currentThread().getId());
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            openedBy = null;
            // Every consumer's streak was the outage's. A consumer whose partitions moved to another in a rebalance
            // during the pause never succeeds again, and its streak would otherwise stay for good.
            streaks.clear();
            log.info("Stage {}: dependency healthy again, circuit closed", stage);
        }
        if (failing && streaks.isEmpty()) {
            failing = false;
            log.info("Stage {}: batches commit again, after {} failed attempts", stage, failedBatches);
        }
    }

    /** A batch of the calling consumer failed (it will be retried). */
    public synchronized void failed(Throwable cause) {
        failures.increment();
        int streak = streaks.merge(Thread.currentThread().getId(), 1, Integer::sum);
        if (!failing) {
            // Once per outage, not per batch and consumer: every failed batch is retried with back-off anyway.
            failing = true;
            failedBatches = 0;
            log.warn("Stage {}: a batch failed and is retried with back-off: {}", stage, describe(cause));
        }
        failedBatches++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && streak >= failureThreshold)) {
            if (state == State.CLOSED) {
                openedAtNanos = System.nanoTime();
            }
            state = State.OPEN;
            openedBy = cause;
            probe = probeFor.apply(cause);
            log.warn("Stage {}: {} consecutive failed batches ({}), pausing the listener and probing every {}", stage,
                    streak, describe(cause), probeInterval);
            pause.run();
            scheduleProbe();
        }
    }

    public State state() {
        return state;
    }

    public String stage() {
        return stage;
    }

    /**
     * While the breaker is open because the broker refused the app's principal (an ACL missing): the refusal. A
     * restart would not cure it, an operator's grant does.
     */
    public Throwable denial() {
        Throwable cause = state == State.CLOSED ? null : openedBy;
        return KafkaPrincipalName.denial(cause) == null ? null : cause;
    }

    private double openSeconds() {
        return state == State.CLOSED ? 0 : (System.nanoTime() - openedAtNanos) / 1e9;
    }

    /**
     * One probe now; scheduled while open, callable directly by tests. Whatever the probe or the resume throws — an
     * {@link Error} included — the breaker stays open and probes again, so a listener is never left paused for good.
     */
    void probeOnce() {
        BooleanSupplier current;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            current = probe;
        }
        boolean healthy;
        try {
            healthy = current.getAsBoolean();
        } catch (Throwable e) {
            log.debug("Stage {}: probe failed: {}", stage, e.toString());
            healthy = false;
        }
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            if (healthy && resumed()) {
                state = State.HALF_OPEN;
            } else {
                scheduleProbe();
            }
        }
    }

    private boolean resumed() {
        try {
            resume.run();
            log.info("Stage {}: dependency answers, resuming the listener", stage);
            return true;
        } catch (Throwable e) {
            log.warn("Stage {}: resuming the listener failed ({}); probing again", stage, e.toString());
            return false;
        }
    }

    private void scheduleProbe() {
        scheduler.schedule(this::probeOnce, probeInterval);
    }

    /** Runs a task once after a delay. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    /**
     * The failure and, when it differs, its root cause: "Unable to connect to Redis" alone does not say whether the
     * password, the certificate or the network is wrong.
     */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (cause: " + root + ")";
    }
}
