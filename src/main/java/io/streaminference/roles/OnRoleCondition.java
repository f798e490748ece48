package io.streaminference.roles;

import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Evaluates {@link ConditionalOnRole} against {@link Roles#of}. */
final class OnRoleCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
        Role[] wanted = (Role[]) attributes.get("value");
        boolean all = (Boolean) attributes.get("all");
        Roles roles = Roles.of(context.getEnvironment());
        boolean match = all ? Arrays.stream(wanted).allMatch(roles::has) : roles.hasAny(wanted);
        return outcome(match, (all ? "all of " : "any of ") + Arrays.toString(wanted), roles);
    }

    private static ConditionOutcome outcome(boolean match, String wanted, Roles roles) {
        String message = wanted + " in " + Roles.PROPERTY + "=" + roles.active();
        return match ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }

    /** Evaluates {@link ConditionalOnRoleUsing}. */
    static final class Using extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Role.Service service = (Role.Service) metadata.getAnnotationAttributes(
                    ConditionalOnRoleUsing.class.getName()).get("value");
            Roles roles = Roles.of(context.getEnvironment());
            return outcome(roles.use(service), "a role using " + service, roles);
        }
    }
}
