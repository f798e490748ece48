package io.streaminference.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.kafka.DeadLetters;
import io.streaminference.kafka.StageMetrics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Builds the s2 → Redis stage and the key scheme the query API shares. */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean
    RedisKeys redisKeys(SinkProperties properties) {
        return new RedisKeys(properties.keyPrefix());
    }

    @Bean
    SinkStage sinkStage(DeadLetters deadLetters, MeterRegistry registry) {
        return new SinkStage(deadLetters, new StageMetrics(registry, SinkStage.STAGE));
    }

    @Bean
    RedisPredictionWriter redisPredictionWriter(StringRedisTemplate redis, RedisKeys keys, SinkProperties properties) {
        return new RedisPredictionWriter(redis, keys, properties.ttl(), properties.entityHistorySize());
    }

    @Bean
    EndToEndLatency endToEndLatency(MeterRegistry registry) {
        return new EndToEndLatency(registry, Clock.systemUTC());
    }
}
