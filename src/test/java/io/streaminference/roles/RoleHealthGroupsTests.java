package io.streaminference.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.mock.env.MockEnvironment;

class RoleHealthGroupsTests {

    static final String READINESS = "management.endpoint.health.group.readiness.include";
    static final String LIVENESS = "management.endpoint.health.group.liveness.include";

    @Test
    void allRolesByDefaultAndAModelServerOutageNeverTakesTheApiOutOfItsService() {
        Roles roles = Roles.of(new MockEnvironment());
        assertThat(roles.active()).isEqualTo(EnumSet.allOf(Role.class));
        assertThat(RoleHealthGroups.defaults(roles)).containsEntry(READINESS, "readinessState,redis")
                .containsEntry(LIVENESS, "livenessState,kafkaListeners,sessions");
    }

    @Test
    void inferenceAloneIsReadyWhenTheModelServerAnswersAndHasNoRedisHealth() {
        assertThat(RoleHealthGroups.defaults(new Roles(Set.of(Role.INFERENCE))))
                .containsEntry(READINESS, "readinessState,modelServer")
                .containsEntry(LIVENESS, "livenessState,kafkaListeners")
                .containsEntry("management.health.redis.enabled", false);
    }

    @Test
    void sinkAndApiAreReadyWhenRedisAnswers() {
        assertThat(RoleHealthGroups.defaults(new Roles(Set.of(Role.SINK)))).containsEntry(READINESS,
                "readinessState,redis");
        assertThat(RoleHealthGroups.defaults(new Roles(Set.of(Role.API)))).containsEntry(READINESS,
                "readinessState,redis");
    }

    @Test
    void bindsRoleNamesInAnyCaseAndRefusesAnUnknownOneNamingTheProperty() {
        assertThat(Roles.of(new MockEnvironment().withProperty(Roles.PROPERTY, "inference, Sink")).active())
                .containsExactlyInAnyOrder(Role.INFERENCE, Role.SINK);
        assertThatThrownBy(() -> Roles.of(new MockEnvironment().withProperty(Roles.PROPERTY, "infrence")))
                .isInstanceOf(BindException.class).hasMessageContaining(Roles.PROPERTY);
    }
}
