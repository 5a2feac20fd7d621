package io.berth.runtime;

import io.berth.linux.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The hostname, hosts and resolv.conf files berth bind-mounts into a container's /etc. Without a network they are
 * made once and then kept (edits made in the container survive restarts); a network's entries and name servers
 * can change from one run to the next, so when a network step supplied them the files are written at every start.
 * <p>
 * They are written without fsync (six fewer on every first start): a berthd killed with -9 loses nothing of a
 * write that returned, and what a power loss can leave is a file that is missing or empty, which the next start
 * writes again. An edit made inside the container goes through the bind mount and was never forced to disk either.
 */
final class EtcFiles {
    private static final String HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    private EtcFiles() {}

    static void write(StepRun run) throws IOException {
        Container c = run.container();
        ContainerPaths p = c.paths();
        String hostname = OciConfig.hostname(c.spec());
        if (missing(p.hostnameFile())) write(p.hostnameFile(), hostname + "\n");
        List<String> networkLines = run.hostsLines();
        if (!networkLines.isEmpty() || missing(p.hostsFile())) {
            write(p.hostsFile(), HOSTS + networkLines.stream().map(l -> l + "\n").collect(Collectors.joining()));
        }
        if (run.resolvConfContent().isPresent()) {
            write(p.resolvConfFile(), run.resolvConfContent().get());
        } else if (missing(p.resolvConfFile())) {
            write(p.resolvConfFile(), resolvConf());
        }
    }

    /** Not there, or empty: what an unsynced first write can leave after a power loss; none of the three is empty. */
    private static boolean missing(Path file) throws IOException {
        return !Files.exists(file) || Files.size(file) == 0;
    }

    private static void write(Path file, String content) throws IOException {
        AtomicFile.writeUnsynced(file, content.getBytes(StandardCharsets.UTF_8), AtomicFile.READABLE);
    }

    /** The host's resolv.conf without loopback nameservers (unreachable from the container's netns), like Docker. */
    private static String resolvConf() {
        StringBuilder out = new StringBuilder();
        boolean hasNameserver = false;
        try {
            Path host = Path.of("/etc/resolv.conf");
            if (Files.exists(host)) {
                for (String line : Files.readAllLines(host)) {
                    String t = line.trim();
                    if (t.startsWith("nameserver")) {
                        String addr = t.substring("nameserver".length()).trim();
                        if (addr.startsWith("127.") || addr.equals("::1")) continue;
                        hasNameserver = true;
                    }
                    out.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // fall back to public resolvers below
        }
        if (!hasNameserver) out.append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        return out.toString();
    }
}
