package io.streaminference.roles;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Registers a package's beans only in a process that runs one of {@link #value()} (all of them with
 * {@link #all()}), decided from the bound {@code pipeline.roles}, never from a string match.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnRoleCondition.class)
public @interface ConditionalOnRole {

    Role[] value();

    /** Whether every role of {@link #value()} must run, rather than any one. */
    boolean all() default false;
}
