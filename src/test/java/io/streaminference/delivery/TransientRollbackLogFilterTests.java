package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class TransientRollbackLogFilterTests {

    private final TransientRollbackLogFilter filter = new TransientRollbackLogFilter();
    private final LoggerContext context = new LoggerContext();

    @Test
    void dropsTheContainersRollbackErrorWhenTheCauseIsTransient() {
        var cause = new ListenerExecutionFailedException("listener threw",
                new PublishException("broker away", Set.of("s1"), null));
        assertThat(decide(TransientRollbackLogFilter.LOGGER, Level.ERROR, "Transaction rolled back", cause))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsEveryOtherError() {
        var bug = new ListenerExecutionFailedException("listener threw", new NullPointerException());
        assertThat(decide(TransientRollbackLogFilter.LOGGER, Level.ERROR, "Transaction rolled back", bug))
                .isEqualTo(FilterReply.NEUTRAL);
        var transientCause = new PublishException("broker away", Set.of("s1"), null);
        assertThat(decide("some.other.Logger", Level.ERROR, "Transaction rolled back", transientCause))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(TransientRollbackLogFilter.LOGGER, Level.ERROR, "Producer fenced", transientCause))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    private FilterReply decide(String logger, Level level, String message, Throwable t) {
        return filter.decide(null, context.getLogger(logger), level, message, null, t);
    }
}
