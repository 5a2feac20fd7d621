package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Limits of berthd's own process that a container config must stay within. */
final class HostFacts {
    private HostFacts() {}

    /** The hard RLIMIT_NOFILE of this process (containers cannot be given more without CAP_SYS_RESOURCE). */
    static long nofileHardLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? 1048576 : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to a value every host allows
        }
        return 1024;
    }

    /** CapBnd of this process: capabilities it can hand to a child. */
    static long boundingSet() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return -1L;
    }

    static boolean cgroupV2() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }
}
