package io.streaminference.evaluation;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@code pipeline.evaluation.enabled} as {@link EvaluationProperties} binds it, not as a string match. */
final class EvaluationEnabled extends SpringBootCondition {

    static final String PROPERTY = "pipeline.evaluation.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean enabled = Binder.get(context.getEnvironment()).bind(PROPERTY, Boolean.class).orElse(false);
        return enabled ? ConditionOutcome.match(PROPERTY + " is on") : ConditionOutcome.noMatch(PROPERTY + " is off");
    }
}
