package io.streaminference.sessions;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code pipeline.sessions.enabled} as {@link SessionsProperties} binds it (so {@code false}, {@code off} and
 * {@code FALSE} all turn the stage off), for the configurations of the session stage and of scoring and storing
 * sessions; a string match would differ from the bound value.
 */
public final class SessionsEnabled extends SpringBootCondition {

    static final String PROPERTY = "pipeline.sessions.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean enabled = Binder.get(context.getEnvironment()).bind(PROPERTY, Boolean.class).orElse(true);
        return enabled ? ConditionOutcome.match(PROPERTY + " is on") : ConditionOutcome.noMatch(PROPERTY + " is off");
    }
}
