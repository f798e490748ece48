package io.streaminference.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of some of a process's threads, from /proc/&lt;pid&gt;/task: those whose name starts like a prefix. Linux
 * keeps the first 15 characters of a Java thread's name, so Kafka Streams' threads — named after the application id —
 * are told apart from the listener, producer and web threads; 0 where /proc is not there.
 */
final class ThreadCpu {

    private static final int KERNEL_NAME_LENGTH = 15;
    /** USER_HZ: /proc reports CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    private ThreadCpu() {
    }

    /** @return the CPU seconds the matching threads have used so far (user and system) */
    static double seconds(long pid, String threadNamePrefix) {
        String prefix = threadNamePrefix.length() > KERNEL_NAME_LENGTH
                ? threadNamePrefix.substring(0, KERNEL_NAME_LENGTH) : threadNamePrefix;
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    if (Files.readString(thread.resolve("comm")).strip().startsWith(prefix)) {
                        String stat = Files.readString(thread.resolve("stat"));
                        // Fields after the parenthesised name: state is 3rd, utime the 14th and stime the 15th.
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // Ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / TICKS_PER_SECOND;
    }
}
