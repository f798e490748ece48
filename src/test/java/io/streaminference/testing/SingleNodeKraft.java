package io.streaminference.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * What every single-node KRaft broker built from the Kafka server classes shares (the local stack's, the secured
 * test broker's): combined broker and controller, internal topics with one replica so transactions work, no
 * rebalance delay; and formatting its log directory.
 */
public final class SingleNodeKraft {

    private SingleNodeKraft() {
    }

    /** Listeners and security are the caller's; {@code CONTROLLER} names the controller listener. */
    public static Map<String, Object> settings(Path logDir, int controllerPort, int partitions) {
        Map<String, Object> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", logDir.toAbsolutePath().toString());
        config.put("num.partitions", Integer.toString(partitions));
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "10");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "10");
        config.put("group.initial.rebalance.delay.ms", "0");
        return config;
    }

    /** Formats {@code logDir} for a new cluster. */
    public static void format(Path logDir) throws Exception {
        String dir = logDir.toAbsolutePath().toString();
        new Formatter().setPrintStream(System.out).setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(dir).addDirectory(dir)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).run();
    }

    public static KafkaRaftServer start(Map<String, Object> config) {
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        server.startup();
        return server;
    }
}
