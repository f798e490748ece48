package io.streaminference.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.springframework.kafka.core.ProducerPostProcessor;

/**
 * Wraps each transactional producer so that a transaction sends the same offsets at most once: a stage adds its
 * batch's offsets to the transaction while it works on the batch ({@link Publisher#offsetsAhead}), and the listener
 * container, which sends the same offsets again after the listener returns, then costs no round trips. Different
 * offsets (another batch, a partial batch after an error) are sent as always.
 */
final class OffsetsOncePerTransaction implements ProducerPostProcessor<Object, Object> {

    @Override
    public Producer<Object, Object> apply(Producer<Object, Object> producer) {
        return new Once<>(producer);
    }

    /** The producer, remembering what the open transaction has sent of its offsets. */
    static final class Once<K, V> implements Producer<K, V> {

        private final Producer<K, V> delegate;
        /** Set by the thread that sent them, read by the container's after the stage waited for that send. */
        private volatile Sent sent;

        private record Sent(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        }

        Once(Producer<K, V> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata groupMetadata) {
            Sent already = sent;
            if (already != null && already.offsets.equals(offsets) && already.group.equals(groupMetadata)) {
                return;
            }
            delegate.sendOffsetsToTransaction(offsets, groupMetadata);
            sent = new Sent(Map.copyOf(offsets), groupMetadata);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
            sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(consumerGroupId));
        }

        @Override
        public void beginTransaction() {
            sent = null;
            delegate.beginTransaction();
        }

        @Override
        public void commitTransaction() {
            sent = null;
            delegate.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            sent = null;
            delegate.abortTransaction();
        }

        @Override
        public void initTransactions() {
            delegate.initTransactions();
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
            return delegate.send(record);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
            return delegate.send(record, callback);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return delegate.partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return delegate.metrics();
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            return delegate.clientInstanceId(timeout);
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public void close(Duration timeout) {
            delegate.close(timeout);
        }
    }
}
