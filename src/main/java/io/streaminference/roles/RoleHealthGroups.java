package io.streaminference.roles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The probe groups of a process from its roles, as defaults any configuration overrides. Readiness is what the
 * process's own work needs: a process serving the API is ready when Redis answers — a model-server outage must not
 * take the API out of its Service — and an inference process without the API when the model server answers. Redis
 * health exists only where a role uses Redis.
 */
public class RoleHealthGroups implements EnvironmentPostProcessor {

    static final String SOURCE = "pipelineRoleHealthGroups";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults(Roles.of(environment))));
    }

    static Map<String, Object> defaults(Roles roles) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        List<String> readiness = new ArrayList<>(List.of("readinessState"));
        if (roles.use(Role.Service.REDIS)) {
            readiness.add("redis");
        }
        if (roles.has(Role.INFERENCE) && !roles.has(Role.API)) {
            readiness.add("modelServer");
        }
        // kafkaListeners: DOWN only when a stage's consumers stopped for good; sessions: DOWN when the session stage's
        // Kafka Streams threads died (ERROR). A restart cures both.
        List<String> liveness = new ArrayList<>(List.of("livenessState", "kafkaListeners"));
        if (roles.has(Role.SESSIONS)) {
            liveness.add("sessions");
        }
        defaults.put("management.endpoint.health.group.readiness.include", String.join(",", readiness));
        defaults.put("management.endpoint.health.group.liveness.include", String.join(",", liveness));
        defaults.put("management.health.redis.enabled", roles.use(Role.Service.REDIS));
        return defaults;
    }
}
