package io.streaminference.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used so far, from /proc (Linux): user + system, in seconds. */
final class ProcessCpu {

    // USER_HZ: 100 on every mainstream Linux build; /proc/<pid>/stat counts in these ticks.
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    static double seconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which may contain spaces) start at state; utime and stime are the 12th/13th.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
