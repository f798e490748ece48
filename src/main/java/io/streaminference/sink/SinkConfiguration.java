package io.streaminference.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.contract.Prediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.PublishException;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StoreStageCommitter;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Builds the s2 → Redis stage. */
@ConditionalOnRole(Role.SINK)
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean
    SinkStage<Prediction> eventSinkStage(DeadLetters deadLetters, MeterRegistry registry) {
        return new SinkStage<>(EventSinkListener.STAGE, StoredInput.EVENTS, deadLetters,
                new StageMetrics(registry, EventSinkListener.STAGE));
    }

    @Bean
    RedisPredictionWriter eventPredictionWriter(StringRedisTemplate redis, ScriptCalls scripts, RedisKeys keys,
            SinkProperties properties) {
        return writer(redis, scripts, keys.events(), properties);
    }

    @Bean
    CircuitBreaker sinkBreaker(BreakerProperties properties, StringRedisTemplate redis, RedisKeys keys,
            TopicsProbe topics, ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        return breaker(EventSinkListener.STAGE, properties, redis, keys, topics, listeners, scheduler, registry);
    }

    @Bean
    EndToEndLatency endToEndLatency(MeterRegistry registry) {
        return new EndToEndLatency(registry, Clock.systemUTC());
    }

    @Bean
    EventSinkListener eventSinkListener(@Qualifier("eventSinkStage") SinkStage<Prediction> stage,
            @Qualifier("eventPredictionWriter") RedisPredictionWriter writer, StoreStageCommitter committer,
            @Qualifier("sinkBreaker") CircuitBreaker breaker, RecordTracing tracing, EndToEndLatency latency) {
        return new EventSinkListener(new SinkBatches(stage, writer, committer, breaker, tracing,
                latency::recordStored));
    }

    static RedisPredictionWriter writer(StringRedisTemplate redis, ScriptCalls scripts, RedisKeys.KeySpace keys,
            SinkProperties properties) {
        if (redis.getConnectionFactory() instanceof LettuceConnectionFactory lettuce) {
            // Lettuce flushes every pipelined command to the socket by default: one write per command. The sink's
            // pipeline is one bounded batch, so one flush when it closes is enough.
            lettuce.setPipeliningFlushPolicy(LettuceConnection.PipeliningFlushPolicy.flushOnClose());
        }
        return new RedisPredictionWriter(scripts, keys, StoreBuckets.of(properties),
                properties.entityHistorySize());
    }

    /**
     * Pauses a sink's listener while batches keep failing, and probes what failed: for dead letters that could not be
     * published, their topic; for anything else, that Redis takes a write again.
     */
    static CircuitBreaker breaker(String stage, BreakerProperties properties, StringRedisTemplate redis, RedisKeys keys,
            TopicsProbe topics, ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        RedisWriteProbe redisProbe = new RedisWriteProbe(redis, keys);
        return new CircuitBreaker(stage, properties,
                failure -> failure instanceof PublishException publish ? () -> topics.available(publish.topics())
                        : redisProbe::writable,
                listeners.pause(stage), listeners.resume(stage), scheduler, registry);
    }
}
