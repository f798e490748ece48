package io.streaminference.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Records not yet consumed by the app's stage groups: last stable offsets minus committed offsets, summed. */
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
        long lag = 0;
        for (Map.Entry<String, String> stage : topicByGroup.entrySet()) {
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
        }
        return lag;
    }

    private Map<TopicPartition, OffsetSpec> latestOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return latest;
    }
}
