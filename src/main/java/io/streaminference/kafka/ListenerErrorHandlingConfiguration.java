package io.streaminference.kafka;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What happens when a listener throws. Stages dead-letter permanently bad records themselves, record by record,
 * so anything that escapes a listener is transient (broker, model server or Redis away): the whole batch is
 * retried with exponential back-off, without limit, and never dead-lettered. The consumer keeps polling while
 * paused between attempts, so a long outage does not exceed max.poll.interval.ms or trigger a rebalance.
 */
@Configuration(proxyBeanMethods = false)
class ListenerErrorHandlingConfiguration {

    static final long INITIAL_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 10_000;

    @Bean
    DefaultErrorHandler pipelineErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(INITIAL_BACKOFF_MS, 2.0);
        backOff.setMaxInterval(MAX_BACKOFF_MS);
        // Unlimited elapsed time: the recoverer below is never reached by an outage.
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            throw new IllegalStateException("Refusing to skip " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " after a transient failure", e);
        }, backOff);
        // Spring's defaults treat some exceptions as not retryable and would hand the batch to the recoverer.
        handler.setClassifications(Map.of(), true);
        return handler;
    }
}
