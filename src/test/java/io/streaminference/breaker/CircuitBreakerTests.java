package io.streaminference.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CircuitBreakerTests {

    private final AtomicInteger pauses = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private final AtomicBoolean healthy = new AtomicBoolean(false);
    /** Probes run when the test says so. */
    private final Deque<Runnable> scheduled = new ArrayDeque<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Throwable> probedFor = new AtomicReference<>();
    private BooleanSupplier probe = healthy::get;
    private Runnable resume = resumes::incrementAndGet;
    private final CircuitBreaker breaker = new CircuitBreaker("inference",
            new BreakerProperties(3, Duration.ofHours(1)), failure -> {
                probedFor.set(failure);
                return () -> probe.getAsBoolean();
            }, pauses::incrementAndGet, () -> resume.run(), (task, delay) -> scheduled.add(task), registry);

    @Test
    void describesAFailureByItsRootCauseToo() {
        RuntimeException failure = new IllegalStateException("Unable to connect to Redis",
                new RuntimeException("connect", new SecurityException("WRONGPASS invalid username-password pair")));

        assertThat(CircuitBreaker.describe(failure)).isEqualTo("java.lang.IllegalStateException: Unable to connect to "
                + "Redis (cause: java.lang.SecurityException: WRONGPASS invalid username-password pair)");
        assertThat(CircuitBreaker.describe(new IllegalStateException("down"))).isEqualTo(
                "java.lang.IllegalStateException: down");
    }

    @Test
    void tellsADenialByTheBrokerFromAnOutageWhileOpenOnly() {
        RuntimeException denied = new IllegalStateException("Publishing failed (topics s1)",
                new org.apache.kafka.common.errors.TopicAuthorizationException("Not authorized to access topics: [s1]"));
        breaker.failed(new RuntimeException("down"));
        breaker.failed(new RuntimeException("down"));
        breaker.failed(denied);
        assertThat(breaker.denial()).isSameAs(denied);

        healthy.set(true);
        scheduled.poll().run();
        breaker.succeeded();
        assertThat(breaker.denial()).as("closed again").isNull();
        for (int i = 0; i < 3; i++) {
            breaker.failed(new RuntimeException("down"));
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.denial()).as("an outage is no denial").isNull();
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
        assertThat(scheduled).hasSize(1);
    }

    @Test
    void resumesWhenTheProbeSucceedsAndClosesOnTheNextGoodBatch() {
        open();
        breaker.probeOnce();
        assertThat(resumes).hasValue(0);
        assertThat(scheduled).as("probes again while unhealthy").hasSize(2);
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
        open();
        healthy.set(true);
        breaker.probeOnce();
        breaker.failed(new RuntimeException("still down"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(pauses).hasValue(2);
    }

    @Test
    void probesTheDependencyOfTheFailureThatOpenedIt() {
        RuntimeException publishFailed = new RuntimeException("s2 not acknowledged");
        breaker.failed(new RuntimeException("model down"));
        breaker.failed(new RuntimeException("model down"));
        breaker.failed(publishFailed);
        assertThat(probedFor.get()).isSameAs(publishFailed);
    }

    @Test
    void countsAStreakPerConsumerSoAnotherConsumersGoodBatchDoesNotHideIt() throws Exception {
        breaker.failed(new RuntimeException("down"));
        breaker.failed(new RuntimeException("down"));
        onAnotherConsumer(breaker::succeeded);
        breaker.failed(new RuntimeException("down"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void forgetsTheOutagesStreaksWhenAnotherConsumerClosesTheCircuit() throws Exception {
        // The consumer that failed loses its partitions in a rebalance while paused; another one takes them over.
        open();
        healthy.set(true);
        breaker.probeOnce();
        onAnotherConsumer(breaker::succeeded);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        // The first consumer's old streak is gone: one new failure of it is one, not the fourth in a row.
        breaker.failed(new RuntimeException("blip"));
        breaker.failed(new RuntimeException("blip"));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void doesNotAddUpOneFailureOfEachConsumerIntoAStreak() throws Exception {
        breaker.failed(new RuntimeException("blip"));
        onAnotherConsumer(() -> breaker.failed(new RuntimeException("blip")));
        onAnotherConsumer(() -> breaker.failed(new RuntimeException("blip")));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void keepsProbingWhenTheProbeThrowsAnError() {
        open();
        probe = () -> {
            throw new NoClassDefFoundError("io/grpc/Something");
        };
        breaker.probeOnce();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(scheduled).as("another probe is scheduled").hasSize(2);
        probe = () -> true;
        scheduled.removeLast().run();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(resumes).hasValue(1);
    }

    @Test
    void keepsProbingWhenResumingTheListenerFails() {
        open();
        healthy.set(true);
        resume = () -> {
            throw new IllegalStateException("No listener container inference");
        };
        breaker.probeOnce();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(scheduled).hasSize(2);
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed(new RuntimeException("down"));
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private static void onAnotherConsumer(Runnable action) throws InterruptedException {
        Thread consumer = new Thread(action);
        consumer.start();
        consumer.join();
    }
}
