package io.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What /info and /version report about the host, read where the kernel and the distribution keep it: /proc,
 * /etc/os-release, the data root's file system, and the runtimes' own {@code --version}. The root is a parameter
 * so unit tests read a fake tree; versions of programs are asked once per path and kept.
 */
final class HostProbe {
    private final Path root;
    private final Map<Path, String> versions = new ConcurrentHashMap<>();

    HostProbe(Path root) {
        this.root = root;
    }

    static HostProbe system() {
        return new HostProbe(Path.of("/"));
    }

    /** /etc/os-release as a map (quotes removed); empty when the file is missing. */
    Map<String, String> osRelease() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines("etc/os-release")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            String v = line.substring(eq + 1).trim();
            if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'")) && v.endsWith(v.substring(0, 1))) {
                v = v.substring(1, v.length() - 1);
            }
            m.put(line.substring(0, eq).trim(), v);
        }
        return m;
    }

    /** The first line of a /proc/sys file, or null when the kernel has no such setting (a module not loaded). */
    String sysctl(String path) {
        List<String> l = lines("proc/sys/" + path);
        return l.isEmpty() ? null : l.getFirst().trim();
    }

    long memTotal() {
        for (String line : lines("proc/meminfo")) {
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        return 0;
    }

    String hostName() {
        String name = sysctl("kernel/hostname");
        return name == null ? "localhost" : name;
    }

    /** The number of descriptors berthd holds (Docker's NFd counts its own). */
    int openFiles() {
        try (var s = Files.list(root.resolve("proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    boolean cgroupV2() {
        return Files.exists(root.resolve("sys/fs/cgroup/cgroup.controllers"));
    }

    /** Docker's name for the data root's file system ("extfs" for ext2/3/4, as its overlay2 driver says). */
    static String backingFilesystem(Path dataRoot) {
        try {
            Path p = dataRoot;
            while (p != null && !Files.exists(p)) p = p.getParent();
            String type = Files.getFileStore(p == null ? Path.of("/") : p).type();
            return switch (type) {
                case "ext2", "ext3", "ext4" -> "extfs";
                default -> type;
            };
        } catch (IOException e) {
            return "<unknown>";
        }
    }

    /**
     * A program's version as its {@code --version} prints it: the last word of the first line that has "version"
     * ("crun version 1.8.1", "conmon version 2.1.6", "runc version 1.1.5"); "" when it does not run.
     */
    String programVersion(Path program) {
        return versions.computeIfAbsent(program, HostProbe::askVersion);
    }

    private static String askVersion(Path program) {
        if (!Files.isExecutable(program)) return "";
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(16384));
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return parseVersion(out);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String parseVersion(String output) {
        for (String line : output.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equalsIgnoreCase("version")) return words[i + 1].replaceFirst("^v", "").replaceAll(",$", "");
            }
        }
        return "";
    }

    private List<String> lines(String relative) {
        try {
            return Files.readAllLines(root.resolve(relative));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
