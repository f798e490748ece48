package io.streaminference.breaker;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The breaker's probe for a failed publish: the topics it went to exist, every partition has a leader, and — where the
 * broker has an authorizer — the app's principal may write them (the broker says which operations it is allowed), so
 * a stage denied WRITE stays paused until the grant is back instead of failing a batch every probe interval.
 */
@Component
public class TopicsProbe implements DisposableBean {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final KafkaAdmin kafkaAdmin;
    private Admin admin;

    TopicsProbe(KafkaAdmin kafkaAdmin) {
        this.kafkaAdmin = kafkaAdmin;
    }

    public boolean available(Collection<String> topics) {
        if (topics.isEmpty()) {
            return true;
        }
        try {
            Map<String, TopicDescription> described = admin().describeTopics(topics,
                            new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis())
                                    .includeAuthorizedOperations(true))
                    .allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return described.values().stream().allMatch(TopicsProbe::writable)
                    && described.values().stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Null: the broker has no authorizer (or did not say), so nothing is denied. */
    static boolean writable(TopicDescription description) {
        Set<AclOperation> allowed = description.authorizedOperations();
        return allowed == null || allowed.contains(AclOperation.WRITE) || allowed.contains(AclOperation.ALL);
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
