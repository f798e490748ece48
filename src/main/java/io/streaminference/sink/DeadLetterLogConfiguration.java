package io.streaminference.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import io.streaminference.sessions.SessionsProperties;
import io.streaminference.topics.TopicsProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The dead-letter log: every dead-letter topic of a stage this app runs, read into Redis for the journey API. */
@ConditionalOnRole(Role.SINK)
@Configuration(proxyBeanMethods = false)
class DeadLetterLogConfiguration {

    /** The dead-letter topics of the topics consumed; the session topics' only while sessions are on. */
    @Bean
    String[] deadLetterLogTopics(TopicsProperties topics, SessionsProperties sessionStage) {
        boolean sessions = sessionStage.enabled();
        return topics.consumed().stream()
                .filter(topic -> sessions || !(topic.equals(topics.sessions())
                        || topic.equals(topics.sessionPredictions())))
                .map(topics::deadLetterOf).toArray(String[]::new);
    }

    @Bean
    DeadLetterLogListener deadLetterLogListener(StringRedisTemplate redis, RedisKeys keys, TopicsProperties topics,
            ObjectMapper json, SinkProperties properties) {
        return new DeadLetterLogListener(new DeadLetterLog(redis, keys, new DeadLetterEntries(topics), json,
                properties.ttl(), Clock.systemUTC()));
    }
}
