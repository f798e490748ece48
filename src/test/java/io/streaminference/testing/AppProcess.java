package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged app jar as a child process with the production heap ({@code -Xmx256m}), as a user runs it: what the
 * crash tests SIGKILL and restart. Its log goes to a file under {@code target/}.
 */
public final class AppProcess implements AutoCloseable {

    /** Every child still running: killed with the test JVM, so a failed test leaves no app behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "app-process-cleanup"));
    }

    private final Process process;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AppProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The jar {@code ./mvnw package} built, or null when there is none (run {@code ./mvnw verify}). */
    public static Path jar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("stream-inference-.*\\.jar"))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Starts the jar with {@code args} and returns once it answers on its HTTP port. */
    public static AppProcess start(Path log, List<String> args) {
        try {
            int port = TestRedis.freePort();
            int managementPort = TestRedis.freePort();
            // The jar carries the production defaults: the tests' operator signs in to the management port.
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", jar().toString(),
                    "--server.port=" + port, "--management.server.port=" + managementPort,
                    "--pipeline.security.users[0].name=" + Management.OPERATOR,
                    "--pipeline.security.users[0].password={noop}" + Management.OPERATOR_PASSWORD,
                    "--pipeline.security.users[0].roles=OPERATOR"));
            command.addAll(args);
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            RUNNING.add(process);
            AppProcess app = new AppProcess(process, port, managementPort);
            try {
                app.awaitUp();
            } catch (RuntimeException e) {
                app.kill();
                throw e;
            }
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitUp() {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The app exited with " + process.exitValue() + " while starting");
            }
            if (get("/actuator/health/liveness") != null) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("The app did not answer on port " + port + " within 2 minutes");
    }

    public int port() {
        return port;
    }

    /** @return the body of a 2xx answer, or null when the app does not answer (yet) */
    public String get(String path) {
        try {
            HttpResponse<String> response = http.send(request(path).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public HttpResponse<String> post(String path, String json) {
        try {
            return http.send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A counter from {@code /actuator/prometheus}, summed over its series with the given label (for example
     * {@code stage="inference"}); 0 when it is not there (yet).
     */
    public double counter(String name, String label) {
        String metrics = get("/actuator/prometheus");
        double sum = 0;
        if (metrics == null) {
            return 0;
        }
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** SIGKILL: no shutdown hook, no graceful stop, open transactions left behind. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        process.destroy();
        awaitExit();
    }

    /** Kills every app this JVM started that still runs; for a test's clean-up after a failure. */
    public static void killAll() {
        RUNNING.forEach(Process::destroyForcibly);
    }

    private void awaitExit() {
        RUNNING.remove(process);
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The actuator on the management port, as the operator; the rest on the app's port. */
    private HttpRequest.Builder request(String path) {
        if (path.startsWith("/actuator")) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).header(
                    "Authorization", Management.basic(Management.OPERATOR, Management.OPERATOR_PASSWORD));
        }
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }
}
