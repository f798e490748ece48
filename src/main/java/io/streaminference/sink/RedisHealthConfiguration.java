package io.streaminference.sink;

import io.streaminference.health.CachedHealthIndicator;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Health contributor {@code redis} (readiness): Spring Boot's own check, a PING, behind a {@link CachedHealthIndicator}
 * so a flood of probes is not a flood of PINGs. Its bean name takes the place of Boot's indicator.
 */
@Configuration(proxyBeanMethods = false)
class RedisHealthConfiguration {

    @Bean("redisHealthContributor")
    HealthIndicator redisHealthContributor(RedisConnectionFactory connections) {
        return new CachedHealthIndicator(new RedisHealthIndicator(connections));
    }
}
