package io.streaminference.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.contract.Prediction;
import io.streaminference.contract.SessionPrediction;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sink.RedisKeys;
import io.streaminference.sink.StoredLookup;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The readers of what the sink stores: event predictions and session predictions. */
@ConditionalOnRole(Role.API)
@Configuration(proxyBeanMethods = false)
class ReadersConfiguration {

    @Bean
    StoredReader<Prediction> predictionReader(@Qualifier("eventLookup") StoredLookup lookup) {
        return new StoredReader<>(lookup, Prediction::parseFrom, Prediction::getEntityKey);
    }

    @Bean
    JourneyReader journeyReader(StringRedisTemplate redis, RedisKeys keys, @Qualifier("eventLookup") StoredLookup lookup,
            ObjectMapper json) {
        return new JourneyReader(redis, keys, lookup, json);
    }

    @Bean
    StoredReader<SessionPrediction> sessionReader(@Qualifier("sessionLookup") StoredLookup lookup) {
        return new StoredReader<>(lookup, SessionPrediction::parseFrom, SessionPrediction::getEntityKey);
    }
}
