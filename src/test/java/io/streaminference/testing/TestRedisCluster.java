package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: three masters and a replica of each, Debian's {@code redis-server} processes (the
 * cluster bus needs no Docker), created with {@code redis-cli --cluster create}. Tests that need it skip when the
 * package is not installed ({@code .ci/run} installs it).
 */
public final class TestRedisCluster implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Path dir;

    private TestRedisCluster(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return TlsRedis.available();
    }

    public static TestRedisCluster start() {
        try {
            TestRedisCluster cluster = new TestRedisCluster(Files.createTempDirectory("redis-cluster"));
            try {
                for (int i = 0; i < 6; i++) {
                    cluster.startNode();
                }
                List<String> create = new ArrayList<>(List.of(TlsRedis.CLI.toString(), "--cluster", "create"));
                cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
                create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
                String created = run(create, List.of());
                if (!created.contains("[OK] All 16384 slots covered")) {
                    throw new IllegalStateException("redis-cli --cluster create failed: " + created);
                }
                cluster.awaitState();
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port} of every node, for {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** A command to one node ({@code redis-cli}); its output. */
    public String command(int port, String... command) {
        return run(List.of(TlsRedis.CLI.toString(), "-p", Integer.toString(port)), List.of(command));
    }

    /** The ports of the nodes whose {@code INFO replication} says {@code role:<role>}. */
    public List<Integer> withRole(String role) {
        return ports.stream().filter(port -> command(port, "INFO", "replication").contains("role:" + role)).toList();
    }

    /** A replica of the master on {@code masterPort}. */
    public int replicaOf(int masterPort) {
        return withRole("slave").stream()
                .filter(port -> command(port, "INFO", "replication").contains("master_port:" + masterPort))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica of " + masterPort));
    }

    private void startNode() throws IOException {
        int port = clusterPort();
        Path node = Files.createDirectories(dir.resolve(Integer.toString(port)));
        Process process = new ProcessBuilder(TlsRedis.SERVER.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no", "--dir", node.toString())
                .redirectErrorStream(true).redirectOutput(node.resolve("redis.log").toFile()).start();
        processes.add(process);
        ports.add(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!RedisProcesses.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start: "
                        + Files.readString(node.resolve("redis.log")));
            }
            sleep(50);
        }
    }

    /** Every node sees the cluster as ok (slots assigned, gossip settled), within 60 s. */
    private void awaitState() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ports.stream().allMatch(port -> command(port, "CLUSTER", "INFO").contains("cluster_state:ok"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not become ok: " + command(ports.get(0), "CLUSTER",
                        "NODES"));
            }
            sleep(200);
        }
    }

    /** A free port whose cluster bus port (+10,000) is free too and valid. */
    private static int clusterPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port pair for a cluster node");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(List<String> base, List<String> command) {
        List<String> args = new ArrayList<>(base);
        args.addAll(command);
        return RedisProcesses.run(args);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
