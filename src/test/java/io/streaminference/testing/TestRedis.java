package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/** A real redis-server process (the binary bundled with embedded-redis) on a free loopback port. */
public final class TestRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private TestRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static TestRedis start() {
        try {
            return start(freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On a given port, e.g. to bring Redis back where the app expects it after an outage. */
    public static TestRedis start(int port) {
        return start(port, null);
    }

    /**
     * @param dataDir where to keep an append-only file, so that a Redis restarted on the same directory has its data
     *                back; null for no persistence
     */
    public static TestRedis start(int port, Path dataDir) {
        try {
            if (dataDir != null) {
                Files.createDirectories(dataDir);
            }
            RedisServerBuilder builder = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"");
            if (dataDir == null) {
                builder.setting("appendonly no");
            } else {
                builder.setting("appendonly yes").setting("dir " + dataDir.toAbsolutePath());
            }
            RedisServer server = builder.build();
            server.start();
            return new TestRedis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /**
     * A started connection factory for the Redis on {@code port}, pooling dedicated (pipelining) connections as the
     * app does; the caller destroys it.
     */
    public static LettuceConnectionFactory connect(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                port), LettucePoolingClientConfiguration.defaultConfiguration());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
