package io.streaminference.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;

class CachedHealthIndicatorTests {

    @Test
    void asksTheDependencyOncePerTtlHoweverManyAsk() {
        AtomicLong now = new AtomicLong();
        AtomicInteger checks = new AtomicInteger();
        CachedHealthIndicator cached = new CachedHealthIndicator(() -> Health.up().withDetail("check",
                checks.incrementAndGet()).build(), now::get);

        for (int i = 0; i < 100; i++) {
            assertThat(cached.health().getDetails()).containsEntry("check", 1);
        }
        now.addAndGet(CachedHealthIndicator.TTL.toNanos() - 1);
        assertThat(cached.health().getDetails()).containsEntry("check", 1);
        now.addAndGet(1);
        assertThat(cached.health().getDetails()).containsEntry("check", 2);
        assertThat(checks).hasValue(2);
    }
}
