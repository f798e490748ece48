package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the tests that run Debian's redis-server share: running {@code redis-cli}, and waiting for a port. */
final class RedisProcesses {

    private RedisProcesses() {
    }

    /** Runs a command line (redis-cli and its arguments) and returns its output, within 60 s. */
    static String run(List<String> args) {
        try {
            Process cli = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
            }
            return output.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
