package io.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's hostname, which a container on the host's network gets unless it asks for another (as Docker's). */
final class HostName {
    private HostName() {}

    static String current() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) return h;
        } catch (IOException e) {
            // fall through: not Linux, or /proc hidden
        }
        return "localhost";
    }
}
