package io.streaminference.roles;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The roles this process runs, as {@code pipeline.roles} binds them (an unknown name fails startup naming the
 * property); unset or empty means all of them.
 */
public record Roles(Set<Role> active) {

    public static final String PROPERTY = "pipeline.roles";

    public Roles {
        active = Collections.unmodifiableSet(active.isEmpty() ? EnumSet.allOf(Role.class) : EnumSet.copyOf(active));
    }

    public static Roles of(Environment environment) {
        return new Roles(Binder.get(environment).bind(PROPERTY, Bindable.setOf(Role.class)).orElse(Set.of()));
    }

    public boolean has(Role role) {
        return active.contains(role);
    }

    public boolean hasAny(Role... roles) {
        for (Role role : roles) {
            if (has(role)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of the roles needs {@code service}. */
    public boolean use(Role.Service service) {
        return active.stream().anyMatch(role -> role.uses(service));
    }
}
