package io.streaminference.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.streaminference.breaker.BreakerProperties;
import io.streaminference.breaker.BreakerScheduler;
import io.streaminference.breaker.CircuitBreaker;
import io.streaminference.breaker.ListenerControl;
import io.streaminference.breaker.TopicsProbe;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.deadletter.DeadLetters;
import io.streaminference.delivery.RecordTracing;
import io.streaminference.delivery.StageMetrics;
import io.streaminference.delivery.StoreStageCommitter;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sessions.SessionsEnabled;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The s2-sessions → Redis stage, as the event sink; off with the session stage. */
@ConditionalOnRole(Role.SINK)
@Configuration(proxyBeanMethods = false)
@Conditional(SessionsEnabled.class)
class SessionSinkConfiguration {

    @Bean
    SinkStage<SessionPrediction> sessionSinkStage(DeadLetters deadLetters, MeterRegistry registry) {
        return new SinkStage<>(SessionSinkListener.STAGE, StoredInput.SESSIONS, deadLetters,
                new StageMetrics(registry, SessionSinkListener.STAGE));
    }

    @Bean
    RedisPredictionWriter sessionPredictionWriter(StringRedisTemplate redis, ScriptCalls scripts, RedisKeys keys,
            SinkProperties properties) {
        return SinkConfiguration.writer(redis, scripts, keys.sessions(), properties);
    }

    @Bean
    CircuitBreaker sessionSinkBreaker(BreakerProperties properties, StringRedisTemplate redis, RedisKeys keys,
            TopicsProbe topics, ListenerControl listeners, BreakerScheduler scheduler, MeterRegistry registry) {
        return SinkConfiguration.breaker(SessionSinkListener.STAGE, properties, redis, keys, topics, listeners,
                scheduler, registry);
    }

    @Bean
    SessionSinkListener sessionSinkListener(@Qualifier("sessionSinkStage") SinkStage<SessionPrediction> stage,
            @Qualifier("sessionPredictionWriter") RedisPredictionWriter writer, StoreStageCommitter committer,
            @Qualifier("sessionSinkBreaker") CircuitBreaker breaker, RecordTracing tracing) {
        return new SessionSinkListener(new SinkBatches(stage, writer, committer, breaker, tracing, stored -> { }));
    }
}
