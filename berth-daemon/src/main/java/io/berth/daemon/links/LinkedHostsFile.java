package io.berth.daemon.links;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.berth.linux.AtomicFile;
import io.berth.runtime.ContainerPaths;
import io.berth.runtime.LiveHostsFile;

/**
 * The user-network link lines of a container's hosts file, kept current while it runs. What was last written is
 * recorded beside the hosts file ({@code hosts-links}), so a later change replaces exactly those lines and leaves
 * everything else (the container's own lines, legacy links, --add-host, edits made inside) as it is; the edit is
 * {@link LiveHostsFile}'s, as a network connect's.
 */
final class LinkedHostsFile {
    private LinkedHostsFile() {}

    static Path record(ContainerPaths p) {
        return p.hostsFile().resolveSibling("hosts-links");
    }

    /** At a start, when the lines go into the new hosts file with the rest: only the record is written. */
    static void started(ContainerPaths p, List<String> lines) throws IOException {
        AtomicFile.writeUnsynced(record(p), join(lines).getBytes(StandardCharsets.UTF_8), AtomicFile.OWNER_ONLY);
    }

    /** While it runs: the recorded lines give way to {@code lines}; nothing is written when nothing changed. */
    static void replace(ContainerPaths p, List<String> lines) throws IOException {
        if (!Files.exists(p.hostsFile())) return;
        List<String> before = Files.exists(record(p)) ? Files.readAllLines(record(p)) : List.of();
        if (before.equals(lines)) return;
        LiveHostsFile.edit(p.hostsFile(), content -> {
            for (String old : before) content.remove(old);
            content.addAll(lines);
            return content;
        });
        started(p, lines);
    }

    private static String join(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l).append('\n');
        return out.toString();
    }
}
