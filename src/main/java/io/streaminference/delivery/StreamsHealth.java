package io.streaminference.delivery;

import org.apache.kafka.streams.KafkaStreams;

/** When a Kafka Streams instance of a stage is healthy: the one rule the session and evaluation stages report by. */
public final class StreamsHealth {

    private StreamsHealth() {
    }

    /**
     * Running or rebalancing is healthy; an instance whose threads all died (ERROR) is not, nor one that stopped while
     * it should run.
     *
     * @param started whether its lifecycle says it runs
     */
    public static boolean healthy(KafkaStreams.State state, boolean started) {
        return switch (state) {
            case CREATED, REBALANCING, RUNNING -> true;
            case PENDING_SHUTDOWN, NOT_RUNNING -> !started;
            case PENDING_ERROR, ERROR -> false;
        };
    }
}
