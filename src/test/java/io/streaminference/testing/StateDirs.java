package io.streaminference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * A fresh local state directory for the session stage of one app under test: two apps must not share one (Kafka
 * Streams locks it), and state left by another test's broker would only be wiped and restored.
 */
public final class StateDirs {

    private StateDirs() {
    }

    public static String fresh() {
        try {
            return Files.createTempDirectory("sessions-state").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The argument that gives an app started with SpringApplicationBuilder its own state directory. */
    public static String argument() {
        return "--spring.kafka.streams.state-dir=" + fresh();
    }
}
