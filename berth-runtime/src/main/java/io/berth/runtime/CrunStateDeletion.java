package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what crun keeps of a container whose process has ended, the way `crun delete` does, from berthd instead
 * of a crun launch on every exit (and on the `--rm` client's wait: a removed container holds no runtime state).
 * `crun delete --force` (crun 1.x, container_delete_internal) reads {@code <state dir>/status}, kills what is left
 * in the container's cgroup, removes the cgroup (cgroupfs manager: {@code /sys/fs/cgroup/<path>} on cgroup v2, on
 * v1 {@code /sys/fs/cgroup/<controller>/<path>} for every line of /proc/self/cgroup, "unified" for the hybrid
 * line), runs the poststop hooks and deletes the state directory. Here only the case with nothing to kill or run
 * is taken: the process recorded in status is gone (no /proc entry with its start time), crun managed the cgroup
 * itself (not systemd), the config has no hooks, and every cgroup directory is empty (rmdir succeeds or finds it
 * gone), and the state directory holds plain files only. Anything else, a busy cgroup or a status berthd cannot
 * read included, returns false and the caller runs `crun delete --force`, with crun's kill-and-retry. The state's
 * {@code status} goes last of its files and the directory after it, so a berthd killed (or an unlink failing)
 * half-way leaves state that the next delete, of either kind, finishes.
 */
final class CrunStateDeletion {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private CrunStateDeletion() {}

    /** True when the state is deleted; false when `crun delete` must do it. */
    static boolean delete(Path stateDir, boolean cgroupV2) {
        try {
            JsonNode status = JSON.readTree(stateDir.resolve("status").toFile());
            if (status.path("systemd-cgroup").asBoolean(false) || !status.path("scope").asText("").isEmpty()) return false;
            String cgroup = status.path("cgroup-path").asText("");
            if (processAlive(status.path("pid").asInt(0), status.path("process-start-time").asLong(-1))) return false;
            if (JSON.readTree(stateDir.resolve("config.json").toFile()).has("hooks")) return false;
            // only plain files, known before anything is deleted: a directory or socket there is crun's to remove
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir)) {
                for (Path f : entries) {
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return false;
                    files.add(f);
                }
            }
            if (!cgroup.isEmpty()) {
                for (Path dir : cgroupDirs(cgroup, cgroupV2)) {
                    try {
                        Files.delete(dir); // rmdir: only an empty cgroup goes
                    } catch (NoSuchFileException gone) {
                        // never made in this hierarchy, or removed by an earlier, interrupted delete
                    }
                }
            }
            // status last: a deletion that stops half-way (a kill, a failing unlink) leaves what `crun delete` reads
            Path statusFile = stateDir.resolve("status");
            for (Path f : files) if (!f.equals(statusFile)) Files.delete(f);
            Files.delete(statusFile);
            Files.delete(stateDir);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Alive as crun decides it: the pid exists with the start time crun recorded (a reused pid is another process). */
    static boolean processAlive(int pid, long startTime) {
        return pid > 0 && ProcessLiveness.startTime(pid) == startTime;
    }

    /** The container's cgroup directories, as crun names them for the cgroupfs manager. */
    static List<Path> cgroupDirs(String cgroupPath, boolean cgroupV2) throws IOException {
        String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        if (rel.isEmpty() || List.of(rel.split("/")).contains("..")) throw new IOException("unexpected cgroup path " + cgroupPath);
        if (cgroupV2) return List.of(CGROUP_ROOT.resolve(rel));
        List<Path> dirs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) continue;
            String controller = parts[1].startsWith("name=") ? parts[1].substring(5) : parts[1];
            String subsystem = controller.isEmpty() ? "unified" : controller;
            // crun skips "unified" on a pure v1 host; there the directory does not exist and rmdir finds it gone
            dirs.add(CGROUP_ROOT.resolve(subsystem).resolve(rel));
        }
        return dirs;
    }
}
