package io.streaminference.delivery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

/**
 * Spring Kafka logs every rolled-back batch transaction at ERROR with its stack trace, whatever the cause. For a
 * {@link TransientFailure} — a model server still loading, a broker restarting — that is an ERROR per batch and
 * consumer for an outage the stage waits out by design; the stage's breaker reports it once at WARN instead. Any
 * other cause is still logged as Spring logs it.
 */
final class TransientRollbackLogFilter extends TurboFilter {

    static final String LOGGER = KafkaMessageListenerContainer.class.getName();
    static final String MESSAGE = "Transaction rolled back";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t != null && level == Level.ERROR && MESSAGE.equals(format) && LOGGER.equals(logger.getName())
                && isTransient(t)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientFailure) {
                return true;
            }
        }
        return false;
    }
}
