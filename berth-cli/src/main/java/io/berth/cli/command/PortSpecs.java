package io.berth.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code -p/--publish} and {@code --expose} as the docker CLI reads them (go-connections' nat.ParsePortSpec rules):
 *
 * <pre>
 * [ip:][hostPort:]containerPort[/proto]       80, 8080:80, 127.0.0.1:8080:80/udp, 127.0.0.1::80, [::1]:8080:80
 * ranges                                      8000-8001:80-81 maps port by port; 8000-8010:80 lets the daemon pick
 *                                             one host port in the range; container and host ranges of different
 *                                             lengths are refused
 * long syntax                                 target=80,published=8080,protocol=udp
 * </pre>
 */
final class PortSpecs {
    /** One container port with one host binding: HostPort "" is a random port, "A-B" a range to pick from. */
    record Binding(String port, String hostIp, String hostPort) {}

    /** What the create body gets: ExposedPorts keys and PortBindings, in the order given. */
    record Parsed(Set<String> exposed, Map<String, List<Binding>> bindings) {}

    private PortSpecs() {}

    static Parsed parse(List<String> publish, List<String> expose) {
        Set<String> exposed = new LinkedHashSet<>();
        Map<String, List<Binding>> bindings = new LinkedHashMap<>();
        for (String e : expose) {
            if (e.contains(":")) throw new IllegalArgumentException("invalid port format for --expose: " + e);
            String[] pp = splitProtoPort(e);
            long[] range;
            try {
                range = portRange(pp[1]);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("invalid range format for --expose: " + e + ", error: " + ex.getMessage());
            }
            for (long p = range[0]; p <= range[1]; p++) exposed.add(p + "/" + pp[0]);
        }
        for (String raw : publish) {
            for (Binding b : parseOne(raw.contains("=") ? longSyntax(raw) : raw)) {
                exposed.add(b.port());
                bindings.computeIfAbsent(b.port(), k -> new ArrayList<>()).add(b);
            }
        }
        return new Parsed(exposed, bindings);
    }

    /** One -p value (nat.ParsePortSpec). */
    static List<Binding> parseOne(String raw) {
        String[] parts = raw.split(":", -1);
        int n = parts.length;
        String ip = n >= 3 ? String.join(":", List.of(parts).subList(0, n - 2)) : "";
        String hostPort = n >= 2 ? parts[n - 2] : "";
        String[] pp = splitProtoPort(parts[n - 1]);
        String proto = pp[0].toLowerCase(Locale.ROOT);
        String containerPort = pp[1];
        if (ip.startsWith("[")) {
            if (!ip.endsWith("]") || ip.indexOf(']') != ip.length() - 1) {
                throw new IllegalArgumentException("invalid IP address " + ip + ": address " + ip + ": missing ']' in address");
            }
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !isIp(ip)) throw new IllegalArgumentException("invalid IP address: " + ip);
        if (containerPort.isEmpty()) throw new IllegalArgumentException("no port specified: " + raw + "<empty>");
        long[] container;
        try {
            container = portRange(containerPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid containerPort: " + containerPort);
        }
        long[] host = {0, 0};
        if (!hostPort.isEmpty()) {
            try {
                host = portRange(hostPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid hostPort: " + hostPort);
            }
        }
        boolean containerRange = container[1] != container[0];
        if (!hostPort.isEmpty() && container[1] - container[0] != host[1] - host[0] && containerRange) {
            throw new IllegalArgumentException("invalid ranges specified for container and host Ports: " + containerPort + " and " + hostPort);
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) throw new IllegalArgumentException("invalid proto: " + proto);
        List<Binding> out = new ArrayList<>();
        for (long i = 0; i <= container[1] - container[0]; i++) {
            String hp = hostPort.isEmpty() ? "" : Long.toString(host[0] + i);
            // one container port and a host range: the daemon picks a free port in the range
            if (!containerRange && host[0] != host[1]) hp = host[0] + "-" + host[1];
            out.add(new Binding((container[0] + i) + "/" + proto, ip, hp));
        }
        return out;
    }

    /** The docker CLI's long syntax, converted to the short one: published:target/protocol. */
    private static String longSyntax(String raw) {
        String target = "";
        String published = "";
        String protocol = "tcp";
        for (String field : raw.split(",")) {
            int eq = field.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("invalid field " + field + " must be a key=value pair");
            String key = field.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = field.substring(eq + 1);
            switch (key) {
                case "target" -> target = value;
                case "published" -> published = value;
                case "protocol" -> protocol = value;
                case "mode" -> {
                    if (!value.equals("host") && !value.equals("ingress")) throw new IllegalArgumentException("invalid publish mode value (" + value + "): must be either \"ingress\" or \"host\"");
                }
                default -> throw new IllegalArgumentException("invalid field key " + key);
            }
        }
        if (target.isEmpty()) throw new IllegalArgumentException("missing mandatory field 'target'");
        return published + ":" + target + "/" + protocol;
    }

    /** nat.SplitProtoPort: {proto, port}; "80" and "80/" are tcp. */
    private static String[] splitProtoPort(String raw) {
        String[] parts = raw.split("/", -1);
        if (raw.isEmpty() || parts[0].isEmpty()) return new String[] {"", ""};
        if (parts.length == 1 || parts[1].isEmpty()) return new String[] {"tcp", parts[0]};
        return new String[] {parts[1], parts[0]};
    }

    /** nat.ParsePortRange: "80" or "8000-8010", each a 16-bit number. */
    static long[] portRange(String ports) {
        if (ports.isEmpty()) throw new IllegalArgumentException("empty string specified for ports");
        int dash = ports.indexOf('-');
        if (dash < 0) {
            long p = uint16(ports);
            return new long[] {p, p};
        }
        String[] parts = ports.split("-", -1);
        long start = uint16(parts[0]);
        long end = uint16(parts[1]);
        if (end < start) throw new IllegalArgumentException("invalid range specified for port: " + ports);
        return new long[] {start, end};
    }

    private static long uint16(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit) || Long.parseLong(s) > 65535) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
        }
        return Long.parseLong(s);
    }

    /** An IP literal as Go's net.ParseIP takes it: a dotted quad or an IPv6 address; never a name lookup. */
    static boolean isIp(String s) {
        if (!s.contains(":")) {
            String[] q = s.split("\\.", -1);
            if (q.length != 4) return false;
            for (String part : q) {
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) return false;
            }
            return true;
        }
        try {
            java.net.InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
