package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} (7.0, built with TLS) as a production Redis would run: TLS only, no plaintext port,
 * the {@code default} user off, an {@code admin} for the test and the ACL users it is given. Tests that need it skip
 * when the package is not installed ({@code .ci/run} installs it).
 */
public final class TlsRedis implements AutoCloseable {

    public static final Path SERVER = Path.of("/usr/bin/redis-server");
    public static final Path CLI = Path.of("/usr/bin/redis-cli");
    static final String ADMIN_PASSWORD = "admin-test-password";

    private final Process process;
    private final int port;
    private final TestCertificates certificates;

    private TlsRedis(Process process, int port, TestCertificates certificates) {
        this.process = process;
        this.port = port;
        this.certificates = certificates;
    }

    public static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(CLI);
    }

    /** @param users ACL rules, one {@code user …} line each */
    public static TlsRedis start(TestCertificates certificates, List<String> users) {
        try {
            int port = TestRedis.freePort();
            Path dir = Files.createTempDirectory("tls-redis");
            StringBuilder config = new StringBuilder()
                    .append("port 0\nbind 127.0.0.1\ntls-port ").append(port).append('\n')
                    .append("tls-cert-file ").append(certificates.serverChain()).append('\n')
                    .append("tls-key-file ").append(certificates.serverKey()).append('\n')
                    .append("tls-ca-cert-file ").append(certificates.caPem()).append('\n')
                    .append("tls-auth-clients no\nsave \"\"\nappendonly no\ndir ").append(dir).append('\n')
                    .append("user default off\n")
                    .append("user admin on >").append(ADMIN_PASSWORD).append(" ~* &* +@all\n");
            users.forEach(user -> config.append(user).append('\n'));
            Path file = dir.resolve("redis.conf");
            Files.writeString(file, config.toString());
            Process process = new ProcessBuilder(SERVER.toString(), file.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            TlsRedis redis = new TlsRedis(process, port, certificates);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!RedisProcesses.listening(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    redis.close();
                    throw new IllegalStateException("redis-server did not start: " + Files.readString(
                            dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A command as the admin, over TLS ({@code redis-cli}); its output. */
    public String admin(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of(CLI.toString(), "-p", Integer.toString(port), "--tls",
                "--cacert", certificates.caPem().toString(), "--user", "admin", "--pass", ADMIN_PASSWORD,
                "--no-auth-warning"));
        args.addAll(List.of(command));
        return RedisProcesses.run(args);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
