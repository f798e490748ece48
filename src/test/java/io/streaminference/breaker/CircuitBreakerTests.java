package io.streaminference.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerTests {

    private final AtomicInteger pauses = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private final AtomicBoolean healthy = new AtomicBoolean(false);
    // Probes are driven by hand below; the scheduler only has to accept them.
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CircuitBreaker breaker = new CircuitBreaker("inference",
            new BreakerProperties(3, Duration.ofHours(1)), healthy::get, pauses::incrementAndGet,
            resumes::incrementAndGet, scheduler, registry);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void pausesTheListenerAfterTheThresholdOfConsecutiveFailures() {
        breaker.failed(new RuntimeException("down"));
        breaker.failed(new RuntimeException("down"));
        breaker.succeeded();
        breaker.failed(new RuntimeException("down"));
        breaker.failed(new RuntimeException("down"));
        assertThat(pauses).hasValue(0);
        breaker.failed(new RuntimeException("down"));
        assertThat(pauses).hasValue(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(registry.get("pipeline.breaker.open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("pipeline.batch.failures").counter().count()).isEqualTo(5);
    }

    @Test
    void resumesWhenTheProbeSucceedsAndClosesOnTheNextGoodBatch() {
        for (int i = 0; i < 3; i++) {
            breaker.failed(new RuntimeException("down"));
        }
        breaker.probeOnce();
        assertThat(resumes).hasValue(0);
        healthy.set(true);
        breaker.probeOnce();
        assertThat(resumes).hasValue(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.succeeded();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(registry.get("pipeline.breaker.open").gauge().value()).isZero();
    }

    @Test
    void reopensAtOnceWhenTheFirstBatchAfterResumingFails() {
        for (int i = 0; i < 3; i++) {
            breaker.failed(new RuntimeException("down"));
        }
        healthy.set(true);
        breaker.probeOnce();
        breaker.failed(new RuntimeException("still down"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(pauses).hasValue(2);
    }
}
