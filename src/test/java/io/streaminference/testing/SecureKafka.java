package io.streaminference.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import kafka.server.KafkaRaftServer;

/**
 * A single-node KRaft broker secured as production runs one: clients on SASL_SSL with SCRAM-SHA-512, the
 * StandardAuthorizer on with no access unless an ACL grants it. The test itself (its producer, its reader, its
 * admin creating users and ACLs) uses a PLAINTEXT listener on 127.0.0.1 whose anonymous principal is a super user —
 * a stand-in for an operator's credentials, never what the app uses.
 */
public final class SecureKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int saslPort;
    private final int internalPort;

    private SecureKafka(KafkaRaftServer server, int saslPort, int internalPort) {
        this.server = server;
        this.saslPort = saslPort;
        this.internalPort = internalPort;
    }

    public static SecureKafka start(TestCertificates certificates) throws Exception {
        int saslPort = TestRedis.freePort();
        int internalPort = TestRedis.freePort();
        int controllerPort = TestRedis.freePort();
        Path logDir = Files.createTempDirectory("secure-kafka");
        Map<String, Object> config = SingleNodeKraft.settings(logDir, controllerPort, 2);
        config.put("listeners", "SASL_SSL://127.0.0.1:" + saslPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + saslPort + ",INTERNAL://127.0.0.1:" + internalPort);
        config.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "INTERNAL");
        config.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        config.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put("listener.name.sasl_ssl.ssl.keystore.location", certificates.serverStore().toString());
        config.put("listener.name.sasl_ssl.ssl.keystore.password", TestCertificates.PASSWORD);
        config.put("listener.name.sasl_ssl.ssl.key.password", TestCertificates.PASSWORD);
        config.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:ANONYMOUS");
        SingleNodeKraft.format(logDir);
        KafkaRaftServer server = SingleNodeKraft.start(config);
        return new SecureKafka(server, saslPort, internalPort);
    }

    /** Where the app connects: SASL_SSL. */
    public String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    /** Where the test connects: PLAINTEXT, a super user. */
    public String internalBootstrap() {
        return "127.0.0.1:" + internalPort;
    }

    public void addUser(String name, String password) throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Returns once the broker enforces them (it answers from the metadata it applied). */
    public void grant(List<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            await(admin, acls, true);
        }
    }

    /** Returns once the broker enforces their absence. */
    public void revoke(List<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
            await(admin, acls, false);
        }
    }

    private static void await(Admin admin, List<AclBinding> acls, boolean present) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (AclBinding acl : acls) {
            while (admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS).isEmpty() == present) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not apply " + acl + " within 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(30).toMillis()));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
