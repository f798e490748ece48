package io.streaminference.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchBreakdownTests {

    private static final String BEFORE = """
            pipeline_batch_size_count{stage="preprocess"} 10
            pipeline_batch_size_sum{stage="preprocess"} 1000
            pipeline_batch_size_count{stage="inference"} 10
            pipeline_batch_size_sum{stage="inference"} 1000
            pipeline_batch_size_count{stage="sink"} 10
            pipeline_batch_size_sum{stage="sink"} 1000
            pipeline_predict_latency_seconds_count{model="m"} 10
            pipeline_predict_latency_seconds_sum{model="m"} 0.5
            kafka_producer_txn_commit_time_ns_total{client_id="p-1"} 1.0E8
            kafka_producer_txn_commit_time_ns_total{client_id="p-2"} 1.0E8
            lettuce_command_completion_seconds_count{command="EVALSHA"} 10
            lettuce_command_completion_seconds_sum{command="EVALSHA"} 0.02
            lettuce_command_completion_seconds_count{command="HELLO"} 1
            lettuce_command_completion_seconds_sum{command="HELLO"} 5
            kafka_consumer_commit_sync_time_ns_total{client_id="consumer-g-sink-1"} 0
            jvm_gc_pause_seconds_count{gc="young"} 2
            jvm_gc_pause_seconds_sum{gc="young"} 0.02
            jvm_compilation_time_ms_total{compiler="c"} 100
            """;

    private static final String AFTER = """
            pipeline_batch_size_count{stage="preprocess"} 30
            pipeline_batch_size_sum{stage="preprocess"} 2000
            pipeline_batch_size_count{stage="inference"} 20
            pipeline_batch_size_sum{stage="inference"} 2000
            pipeline_batch_size_count{stage="sink"} 20
            pipeline_batch_size_sum{stage="sink"} 3000
            pipeline_predict_latency_seconds_count{model="m"} 30
            pipeline_predict_latency_seconds_sum{model="m"} 1.5
            kafka_producer_txn_commit_time_ns_total{client_id="p-1"} 2.0E8
            kafka_producer_txn_commit_time_ns_total{client_id="p-2"} 4.0E8
            lettuce_command_completion_seconds_count{command="EVALSHA"} 30
            lettuce_command_completion_seconds_sum{command="EVALSHA"} 0.08
            lettuce_command_completion_seconds_count{command="HELLO"} 2
            lettuce_command_completion_seconds_sum{command="HELLO"} 50
            kafka_consumer_commit_sync_time_ns_total{client_id="consumer-g-sink-1"} 5.0E7
            kafka_consumer_time_between_poll_avg{client_id="consumer-g-sink-1"} 30
            kafka_consumer_time_between_poll_avg{client_id="consumer-g-sink-2"} 50
            jvm_gc_pause_seconds_count{gc="young"} 12
            jvm_gc_pause_seconds_sum{gc="young"} 0.12
            jvm_compilation_time_ms_total{compiler="c"} 600
            """;

    @Test
    void dividesEachPartsTimeByTheBatchesOrCallsBetweenTheScrapes() {
        Map<String, String> breakdown = BatchBreakdown.between(Prometheus.parse(BEFORE), Prometheus.parse(AFTER), 10);

        assertThat(breakdown).containsEntry("preprocess_batches_per_s", "2.00")
                .containsEntry("preprocess_batch_records", "50.00")
                .containsEntry("sink_batch_records", "200")
                .containsEntry("sink_poll_period_ms", "40.00")
                .containsEntry("predict_ms", "50.00")
                .containsEntry("predict_calls_per_batch", "2.00")
                // 400 ms of commits over the 30 transactional batches of preprocess and inference
                .containsEntry("txn_commit_ms", "13.33")
                // only the store script's calls, not the connection's handshake
                .containsEntry("sink_redis_call_ms", "3.00")
                .containsEntry("sink_redis_calls_per_batch", "2.00")
                .containsEntry("sink_commit_ms", "5.00")
                .containsEntry("gc_pauses_per_s", "1.00")
                .containsEntry("gc_pause_ms", "10.00")
                .containsEntry("jit_ms_per_s", "50.00");
    }

    @Test
    void saysNaNForAPartWithNothingToDivideBy() {
        Map<String, String> breakdown = BatchBreakdown.between(Prometheus.parse(BEFORE), Prometheus.parse(BEFORE), 10);

        assertThat(breakdown).containsEntry("predict_ms", "NaN").containsEntry("txn_commit_ms", "NaN");
    }
}
