package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "port", description = "List port mappings or a specific mapping for the container",
        customSynopsis = "berth port CONTAINER [PRIVATE_PORT[/PROTO]]")
public final class PortCommand extends ApiCommand {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "PRIVATE_PORT[/PROTO]", arity = "0..1")
    String privatePort;

    @Override
    public Integer call() {
        JsonNode ports = client().inspectContainer(container, false).path("NetworkSettings").path("Ports");
        List<String> lines = lines(ports, container, privatePort);
        if (!lines.isEmpty()) out().println(String.join("\n", lines));
        return 0;
    }

    /**
     * As docker port: "80/tcp -> 0.0.0.0:32768" for every binding, or only "0.0.0.0:32768" for one private port
     * (an error when it has none); naturally sorted, IPv6 hosts in brackets.
     */
    static List<String> lines(JsonNode ports, String container, String privatePort) {
        List<String> out = new ArrayList<>();
        if (privatePort != null) {
            int slash = privatePort.indexOf('/');
            String port = slash < 0 ? privatePort : privatePort.substring(0, slash);
            String proto = slash < 0 || slash == privatePort.length() - 1 ? "tcp" : privatePort.substring(slash + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) > 65535) {
                throw new CliException("Error: invalid port (" + port + "): strconv.ParseUint: parsing \"" + port + "\": invalid syntax");
            }
            JsonNode frontends = ports.path(port + "/" + proto);
            if (!frontends.isArray() || frontends.isEmpty()) {
                throw new CliException("Error: No public port '" + privatePort + "' published for " + container);
            }
            frontends.forEach(f -> out.add(hostPort(f)));
        } else {
            ports.properties().forEach(e -> {
                if (e.getValue().isArray()) e.getValue().forEach(f -> out.add(e.getKey() + " -> " + hostPort(f)));
            });
        }
        out.sort(NATURAL);
        return out;
    }

    private static String hostPort(JsonNode frontend) {
        String ip = frontend.path("HostIp").asText("");
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + frontend.path("HostPort").asText("");
    }

    /** Natural order: runs of digits compare as numbers ("80/tcp" before "443/tcp"), the rest as text. */
    static final Comparator<String> NATURAL = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                int cmp = Long.compare(Long.parseLong(a.substring(si, Math.min(i, si + 18))), Long.parseLong(b.substring(sj, Math.min(j, sj + 18))));
                if (cmp != 0) return cmp;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };
}
