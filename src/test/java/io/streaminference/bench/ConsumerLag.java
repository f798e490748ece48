package io.streaminference.bench;

import java.time.Duration;
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

    /**
     * @param lag records the group has not committed up to its topic's last stable offsets
     * @param unstable records of its topic above the last stable offsets: written in transactions still open, which a
     *        read_committed stage cannot read yet — a large value while the lag stalls means a transaction held open
     *        upstream, a small one a stage that does not fetch what it could
     */
    record StageLag(long lag, long unstable) {
    }

    long total() throws Exception {
        return total(byGroup());
    }

    /**
     * Waits until the stages together are at most {@code records} behind, sampling every half second, for at most
     * {@code bound}; returns the backlog last seen, so that a caller can tell a stage that caught up from one that did
     * not.
     */
    long awaitAtMost(long records, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        long behind = total();
        while (behind > records && System.nanoTime() < deadline) {
            Thread.sleep(500);
            behind = total();
        }
        return behind;
    }

    /** The backlog of all stages together, from one {@link #byGroup} sample. */
    static long total(Map<String, StageLag> byGroup) {
        return byGroup.values().stream().mapToLong(StageLag::lag).sum();
    }

    /** Per stage group, so that a backlog can be placed at the stage that did not keep up. */
    Map<String, StageLag> byGroup() throws Exception {
        Map<String, StageLag> lagByGroup = new TreeMap<>();
        for (Map.Entry<String, String> stage : topicByGroup.entrySet()) {
            long lag = 0;
            long unstable = 0;
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.getKey())
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = latestByTopic.get(stage.getValue());
            if (latest == null) {
                latest = latestOffsets(stage.getValue());
                latestByTopic.put(stage.getValue(), latest);
            }
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            var highWatermarks = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all().get(10, TimeUnit.SECONDS);
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
                unstable += Math.max(0, highWatermarks.get(end.getKey()).offset() - end.getValue().offset());
            }
            lagByGroup.put(stage.getKey(), new StageLag(lag, unstable));
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
