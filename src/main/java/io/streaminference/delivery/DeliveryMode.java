package io.streaminference.delivery;

import io.streaminference.delivery.DeliveryProperties.Delivery;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The one place the delivery mode is decided: {@code pipeline.kafka.delivery} bound to {@link Delivery} exactly as
 * {@link DeliveryProperties} binds it (so {@code exactly-once}, {@code EXACTLY_ONCE}, {@code exactly_once} from an
 * argument or {@code PIPELINE_KAFKA_DELIVERY} all mean the same), for conditions that run before that bean exists. A
 * string match such as {@code @ConditionalOnProperty(havingValue = "exactly-once")} would load neither mode for the
 * other spellings, leaving a non-transactional template and a container that skips records after ten retries.
 */
final class DeliveryMode {

    static final String PROPERTY = "pipeline.kafka.delivery";

    private DeliveryMode() {
    }

    /** @throws org.springframework.boot.context.properties.bind.BindException naming the property for an unknown value */
    static Delivery of(Environment environment) {
        return Binder.get(environment).bind(PROPERTY, Delivery.class).orElse(Delivery.EXACTLY_ONCE);
    }

    static final class ExactlyOnce extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return outcome(of(context.getEnvironment()) == Delivery.EXACTLY_ONCE);
        }
    }

    static final class AtLeastOnce extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return outcome(of(context.getEnvironment()) == Delivery.AT_LEAST_ONCE);
        }
    }

    private static ConditionOutcome outcome(boolean match) {
        return match ? ConditionOutcome.match(PROPERTY + " selects this mode")
                : ConditionOutcome.noMatch(PROPERTY + " selects the other mode");
    }
}
