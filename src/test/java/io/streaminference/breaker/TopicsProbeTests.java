package io.streaminference.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class TopicsProbeTests {

    @Test
    void callsATopicWritableOnlyWhenTheBrokerAllowsTheWriteOrHasNoAuthorizer() {
        assertThat(TopicsProbe.writable(topic(Set.of(AclOperation.READ, AclOperation.DESCRIBE)))).isFalse();
        assertThat(TopicsProbe.writable(topic(Set.of(AclOperation.DESCRIBE, AclOperation.WRITE)))).isTrue();
        assertThat(TopicsProbe.writable(topic(Set.of(AclOperation.ALL)))).isTrue();
        assertThat(TopicsProbe.writable(topic(null))).as("no authorizer").isTrue();
    }

    private static TopicDescription topic(Set<AclOperation> allowed) {
        return new TopicDescription("s1", false, List.of(), allowed);
    }
}
