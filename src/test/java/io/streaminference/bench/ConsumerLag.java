package io.streaminference.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Records not yet consumed by the app's stage groups: last stable offsets minus committed offsets, per group. */
final class ConsumerLag {

    private final Admin admin;
    private final Map<String, String> topicByGroup;
    // Partitions do not change during a run: described once per topic, not at every sample.
    private final Map<String, Map<TopicPartition, OffsetSpec>> latestByTopic = new HashMap<>();

    ConsumerLag(Admin admin, Map<String, String> topicByGroup) {
        this.admin = admin;
        this.topicByGroup = topicByGroup;
    }

    long total() throws Exception {
        return byGroup().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Per stage group, so that a backlog can be placed at the stage that did not keep up. */
    Map<String, Long> byGroup() throws Exception {
        Map<String, Long> lagByGroup = new TreeMap<>();
        for (Map.Entry<String, String> stage : topicByGroup.entrySet()) {
            long lag = 0;
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.getKey())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = latestByTopic.get(stage.getValue());
            if (latest == null) {
                latest = latestOffsets(stage.getValue());
                latestByTopic.put(stage.getValue(), latest);
            }
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
            lagByGroup.put(stage.getKey(), lag);
        }
        return lagByGroup;
    }

    private Map<TopicPartition, OffsetSpec> latestOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return latest;
    }
}
