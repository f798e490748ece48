package io.streaminference.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the consumers start, aborts every transaction a crashed predecessor of this instance left open, by
 * initialising a producer for each of its transactional ids ({@link TransactionalIds}). Without it such a
 * transaction stays open until {@code transaction.timeout.ms} (240 s): read_committed readers of what it wrote wait
 * behind it, and a consumer whose group has a pending offset commit in it cannot even fetch its position (Kafka's
 * "unstable offsets"), so the restarted stage would wait for the timeout — its own producers, which would abort it,
 * are only created for its first batch. Bounded: a broker that does not answer only gets a warning.
 */
final class TransactionFencing extends BeforeListenersStart {

    private static final Logger log = LoggerFactory.getLogger(TransactionFencing.class);
    static final Duration BOUND = Duration.ofSeconds(20);
    static final Duration REACHABLE_BOUND = Duration.ofSeconds(3);

    private final Map<String, Object> producerConfig;
    private final TransactionalIds ids;

    TransactionFencing(Map<String, Object> producerConfig, TransactionalIds ids) {
        this.producerConfig = producerConfig;
        this.ids = ids;
    }

    @Override
    protected void run() {
        if (!brokerAnswers()) {
            log.warn("Kafka did not answer within {}: not checking for transactions a previous run of this instance left "
                    + "open; if there is one, its readers wait up to transaction.timeout.ms", REACHABLE_BOUND);
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(8, ids.fencedIds()), r -> {
            Thread thread = new Thread(r, "transaction-fencing");
            thread.setDaemon(true);
            return thread;
        });
        List<CompletableFuture<Void>> fenced = new ArrayList<>();
        for (int i = 0; i < ids.fencedIds(); i++) {
            String id = ids.prefix() + i;
            fenced.add(CompletableFuture.runAsync(() -> fence(id), threads));
        }
        try {
            CompletableFuture.allOf(fenced.toArray(CompletableFuture[]::new)).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Aborted any transaction left open under {}0..{}", ids.prefix(), ids.fencedIds() - 1);
        } catch (Exception e) {
            log.warn("Could not make sure no transaction of a previous run of this instance is still open ({}); if one "
                    + "is, its readers wait for transaction.timeout.ms", e.toString());
        } finally {
            threads.shutdownNow();
        }
    }

    /** A broker that is away would hold every initTransactions for max.block.ms: ask once, briefly. */
    private boolean brokerAnswers() {
        Admin admin = Admin.create(producerConfig.entrySet().stream()
                .filter(e -> AdminClientConfig.configNames().contains(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        try {
            admin.describeCluster().clusterId().get(REACHABLE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private void fence(String transactionalId) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "fencing-" + transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BOUND.toMillis());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
        }
    }

    /** Before the consumers start, and before anything else that waits for the listeners' phase. */
    @Override
    public int getPhase() {
        return super.getPhase() - 1;
    }
}
