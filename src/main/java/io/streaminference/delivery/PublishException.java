package io.streaminference.delivery;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The broker did not acknowledge a batch's output in time; transient, so the batch is retried, not skipped. */
public class PublishException extends RuntimeException implements TransientFailure {

    private final transient Set<String> topics;

    public PublishException(String message, Set<String> topics, Throwable cause) {
        super(message, cause);
        this.topics = Set.copyOf(topics);
    }

    /** The batch's transaction rolled back after its output was acknowledged: its commit failed. */
    public static PublishException notCommitted(List<ProducerRecord<byte[], byte[]>> output) {
        return new PublishException("The batch's transaction did not commit", Publisher.topics(output), null);
    }

    /** The topics the failed output was for: what a breaker probes before the stage resumes. */
    public Set<String> topics() {
        return topics;
    }
}
