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
 */
final class EtcFiles {
    private static final String HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    private EtcFiles() {}

    static void write(StepRun run) throws IOException {
        Container c = run.container();
        ContainerPaths p = c.paths();
        String hostname = OciConfig.hostname(c.spec());
        if (!Files.exists(p.hostnameFile())) AtomicFile.write(p.hostnameFile(), (hostname + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.READABLE);
        List<String> networkLines = run.hostsLines();
        if (!networkLines.isEmpty() || !Files.exists(p.hostsFile())) {
            String hosts = HOSTS + networkLines.stream().map(l -> l + "\n").collect(Collectors.joining());
            AtomicFile.write(p.hostsFile(), hosts.getBytes(StandardCharsets.UTF_8), AtomicFile.READABLE);
        }
        if (run.resolvConfContent().isPresent()) {
            AtomicFile.write(p.resolvConfFile(), run.resolvConfContent().get().getBytes(StandardCharsets.UTF_8), AtomicFile.READABLE);
        } else if (!Files.exists(p.resolvConfFile())) {
            AtomicFile.write(p.resolvConfFile(), resolvConf().getBytes(StandardCharsets.UTF_8), AtomicFile.READABLE);
        }
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
