package io.streaminference.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.streaminference.testing.SingleNodeKraft;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka broker in KRaft mode (combined broker and controller) built from the Kafka server classes,
 * with its log directory kept across restarts: formatted on first start, reused afterwards.
 */
final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private LocalKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static LocalKafka start(int port, int controllerPort, Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Map<String, Object> config = SingleNodeKraft.settings(dataDir, controllerPort, 6);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.retention.hours", "24");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            SingleNodeKraft.format(dataDir);
        }
        KafkaRaftServer server = SingleNodeKraft.start(config);
        return new LocalKafka(server, port);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
