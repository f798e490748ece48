package io.streaminference.bench;

import java.util.HashMap;
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

    ConsumerLag(Admin admin, Map<String, String> topicByGroup) {
        this.admin = admin;
        this.topicByGroup = topicByGroup;
    }

    long total() throws Exception {
        long lag = 0;
        for (Map.Entry<String, String> stage : topicByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.getKey())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(java.util.List.of(stage.getValue())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(stage.getValue()).partitions()
                    .forEach(p -> latest.put(new TopicPartition(stage.getValue(), p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
        }
        return lag;
    }
}
