package io.streaminference.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sink.RedisKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The readers of what the sink stores: event predictions and session predictions. */
@ConditionalOnRole(Role.API)
@Configuration(proxyBeanMethods = false)
class ReadersConfiguration {

    @Bean
    StoredReader<Prediction> predictionReader(StringRedisTemplate redis, RedisKeys keys) {
        return new StoredReader<>(redis, keys.events(), Prediction::parseFrom, Prediction::getEntityKey);
    }

    @Bean
    JourneyReader journeyReader(StringRedisTemplate redis, RedisKeys keys, ObjectMapper json) {
        return new JourneyReader(redis, keys, json);
    }

    @Bean
    StoredReader<SessionPrediction> sessionReader(StringRedisTemplate redis, RedisKeys keys) {
        return new StoredReader<>(redis, keys.sessions(), SessionPrediction::parseFrom, SessionPrediction::getEntityKey);
    }
}
