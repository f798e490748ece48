package io.streaminference.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may do what ({@code pipeline.security.*}): the users of the dashboard, the API and the management port, with
 * their roles. API keys ({@code pipeline.api.keys}) stand for readers.
 *
 * @param users       each with a password in Spring Security's encoded form — {@code {bcrypt}$2a$10$…} (or
 *                    {@code {noop}…} for a local demo) — best from a secret, e.g. PIPELINE_SECURITY_USERS_0_PASSWORD
 * @param metricsOpen the management port's {@code /actuator/prometheus} without credentials: only where the network
 *                    already decides who reaches that port (the chart's NetworkPolicy); off by default
 */
@Validated
@ConfigurationProperties("pipeline.security")
public record SecurityProperties(@Valid List<@NotNull User> users, Boolean metricsOpen) {

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
        metricsOpen = metricsOpen != null && metricsOpen;
    }

    /** What a caller may do; an operator may do everything a reader may. */
    public enum Role {
        /** the query API and the dashboard */
        READER,
        /** redrive dead letters, move model labels, every actuator endpoint */
        OPERATOR,
        /** scrape {@code /actuator/prometheus} */
        METRICS
    }

    public record User(
            @NotNull @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String name,
            @NotNull @Pattern(regexp = "\\{[a-z0-9]+}.+", message = "must name its encoding, e.g. {bcrypt}$2a$10$...")
            String password,
            @NotEmpty List<@NotNull Role> roles) {

        @Override
        public String toString() {
            return "User[name=" + name + ", roles=" + roles + "]";
        }
    }
}
