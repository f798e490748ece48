package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CanaryRouterTests {

    static final List<String> USERS = IntStream.range(0, 20_000).mapToObj(i -> "u-" + i).toList();

    @Test
    void sendsTheConfiguredShareOfUsersToTheCanary() {
        CanaryRouter router = new CanaryRouter(0.1);
        double share = USERS.stream().filter(router::canary).count() / (double) USERS.size();
        assertThat(share).isCloseTo(0.1, within(0.01));
        assertThat(USERS).noneMatch(new CanaryRouter(0)::canary);
        assertThat(USERS).allMatch(new CanaryRouter(1)::canary);
        assertThat(router.canary(null)).isFalse();
    }

    @Test
    void keepsEachUserOnItsSideAndOnlyAddsUsersWhenTheShareGrows() {
        CanaryRouter small = new CanaryRouter(0.05);
        CanaryRouter larger = new CanaryRouter(0.25);
        assertThat(USERS).allMatch(user -> small.canary(user) == new CanaryRouter(0.05).canary(user));
        assertThat(USERS.stream().filter(small::canary)).allMatch(larger::canary);
    }
}
