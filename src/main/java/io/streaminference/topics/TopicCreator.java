package io.streaminference.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.KafkaException;

/**
 * Creates the pipeline's topics and their dead-letter topics when they are missing, so a fresh broker needs no setup.
 * It never changes a topic that exists: adding partitions would move keys to other partitions and break each user's
 * order through the stages (Spring's {@code KafkaAdmin} adds them when a declared count grows), so a differing count
 * is only reported. Every call is bounded by {@code spring.kafka.admin.operation-timeout}; an unreachable broker is a
 * warning unless {@code spring.kafka.admin.fail-fast} is set.
 */
final class TopicCreator implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

    private final Map<String, Object> adminConfig;
    private final List<NewTopic> wanted;
    private final Duration timeout;
    private final boolean failFast;

    TopicCreator(Map<String, Object> adminConfig, List<NewTopic> wanted, Duration timeout, boolean failFast) {
        this.adminConfig = adminConfig;
        this.wanted = List.copyOf(wanted);
        this.timeout = timeout;
        this.failFast = failFast;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Admin admin = Admin.create(adminConfig);
        try {
            createMissing(admin);
        } catch (TimeoutException | ExecutionException | KafkaException | org.apache.kafka.common.KafkaException e) {
            String message = "Could not check or create the pipeline's topics within " + timeout + " (" + e + ")";
            if (failFast) {
                throw new IllegalStateException(message + "; spring.kafka.admin.fail-fast is set", e);
            }
            log.warn("{}; the stages start when the broker and the topics are there", message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // close() would otherwise wait for an abandoned call's own, longer timeout.
            admin.close(Duration.ofSeconds(1));
        }
    }

    private void createMissing(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, NewTopic> missing = new LinkedHashMap<>();
        for (NewTopic topic : wanted) {
            TopicDescription existing = describe(admin, topic.name());
            if (existing == null) {
                missing.put(topic.name(), topic);
            } else if (existing.partitions().size() != topic.numPartitions()) {
                log.warn("Topic {} has {} partitions, pipeline.topics.partitions is {}; existing topics are never "
                        + "repartitioned (that would move keys between partitions), change it with kafka-topics if "
                        + "you mean to", topic.name(), existing.partitions().size(), topic.numPartitions());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> created = new ArrayList<>();
        for (var result : admin.createTopics(missing.values()).values().entrySet()) {
            try {
                result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was first: fine
                    throw e;
                }
            }
        }
        log.info("Created topics {}", created);
    }

    private TopicDescription describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
