package io.streaminference.sink;

import io.streaminference.health.CachedHealthIndicator;
import io.streaminference.roles.ConditionalOnRoleUsing;
import io.streaminference.roles.Role;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * What every role on the store shares — the sink writing, the API reading: the key scheme, and the health contributor
 * {@code redis} (readiness), Spring Boot's own check, a PING, behind a {@link CachedHealthIndicator} so a flood of
 * probes is not a flood of PINGs. Its bean name takes the place of Boot's indicator.
 */
@ConditionalOnRoleUsing(Role.Service.REDIS)
@Configuration(proxyBeanMethods = false)
class RedisStoreConfiguration {

    @Bean
    RedisKeys redisKeys(SinkProperties properties) {
        return new RedisKeys(properties.keyPrefix());
    }

    @Bean("redisHealthContributor")
    HealthIndicator redisHealthContributor(RedisConnectionFactory connections) {
        return new CachedHealthIndicator(new RedisHealthIndicator(connections));
    }
}
