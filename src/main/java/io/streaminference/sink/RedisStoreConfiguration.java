package io.streaminference.sink;

import io.streaminference.health.CachedHealthIndicator;
import io.streaminference.roles.ConditionalOnRoleUsing;
import io.streaminference.roles.Role;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.data.redis.RedisHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What every role on the store shares — the sink writing, the API reading: the key scheme, the script calls and
 * lookups of the bucketed layout, and the health contributor
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

    /** Spring Boot's connection, pipelined — or Lettuce's cluster API where {@code spring.data.redis.cluster.*} is set. */
    @Bean
    ScriptCalls storeScriptCalls(StringRedisTemplate redis, ObjectProvider<RedisProperties> connection) {
        RedisProperties redisProperties = connection.getIfAvailable();
        Duration timeout = redisProperties == null || redisProperties.getTimeout() == null ? Duration.ofSeconds(2)
                : redisProperties.getTimeout();
        return ScriptCalls.of(redis, timeout);
    }

    @Bean
    StoredLookup eventLookup(ScriptCalls scripts, StringRedisTemplate redis, RedisKeys keys, SinkProperties store) {
        return new StoredLookup(scripts, redis, keys.events(), StoreBuckets.of(store), store.readLegacyKeys(),
                Clock.systemUTC());
    }

    @Bean
    StoredLookup sessionLookup(ScriptCalls scripts, StringRedisTemplate redis, RedisKeys keys, SinkProperties store) {
        return new StoredLookup(scripts, redis, keys.sessions(), StoreBuckets.of(store), store.readLegacyKeys(),
                Clock.systemUTC());
    }

    @Bean("redisHealthContributor")
    HealthIndicator redisHealthContributor(RedisConnectionFactory connections) {
        return new CachedHealthIndicator(new RedisHealthIndicator(connections));
    }
}
