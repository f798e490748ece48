package io.streaminference.breaker;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The breaker's probe for a failed publish: the topics it went to exist and every partition has a leader. It cannot
 * tell whether the principal may write them (only a write could, and the stages write nothing but real output), so
 * after an authorization failure the stage resumes once per probe interval, fails one batch and pauses again.
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
                            new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return described.values().stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
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
