package io.streaminference.roles;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Registers beans only in a process one of whose roles uses {@link #value()} (e.g. the Kafka plumbing wherever a
 * stage consumes or produces records), as {@link Role} declares it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnRoleCondition.Using.class)
public @interface ConditionalOnRoleUsing {

    Role.Service value();
}
