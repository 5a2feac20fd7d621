package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A service's {@code ports} entry in long syntax ({@code target}, {@code published}, {@code host_ip},
 * {@code protocol}, {@code mode}); the short syntax {@code [IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTO]}
 * is expanded to one entry per port as Compose does.
 */
final class Ports {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Ports() {}

    static void normalise(JsonNode p, ArrayNode out) {
        if (p instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            if (!copy.has("mode")) copy.put("mode", "ingress");
            if (!copy.has("protocol")) copy.put("protocol", "tcp");
            if (copy.has("published")) copy.put("published", copy.get("published").asText());
            out.add(copy);
            return;
        }
        String spec = p.asText();
        String protocol = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String hostIp = null;
        String published = null;
        String target;
        int last = spec.lastIndexOf(':');
        if (last < 0) {
            target = spec;
        } else {
            target = spec.substring(last + 1);
            String front = spec.substring(0, last);
            int ipEnd = front.lastIndexOf(':');
            if (front.startsWith("[")) {
                int close = front.indexOf(']');
                hostIp = front.substring(1, close);
                published = close + 2 <= front.length() ? front.substring(close + 2) : "";
            } else if (ipEnd >= 0) {
                hostIp = front.substring(0, ipEnd);
                published = front.substring(ipEnd + 1);
            } else {
                published = front;
            }
            if (published != null && published.isEmpty()) published = null;
        }
        int[] targets = range(target, p.asText());
        int[] hosts = published == null ? null : range(published, p.asText());
        if (hosts != null && hosts.length != 1 && hosts.length != targets.length) {
            throw new ComposeException("invalid port specification: '" + p.asText() + "': port ranges don't match in length");
        }
        for (int i = 0; i < targets.length; i++) {
            ObjectNode o = F.objectNode();
            o.put("mode", "ingress");
            if (hostIp != null && !hostIp.isEmpty()) o.put("host_ip", hostIp);
            o.put("target", targets[i]);
            if (hosts != null) {
                o.put("published", hosts.length == 1 && targets.length > 1 ? published : String.valueOf(hosts[Math.min(i, hosts.length - 1)]));
            }
            o.put("protocol", protocol);
            out.add(o);
        }
    }

    private static int[] range(String s, String whole) {
        try {
            int dash = s.indexOf('-');
            if (dash < 0) return new int[] {port(s, whole)};
            int from = port(s.substring(0, dash), whole);
            int to = port(s.substring(dash + 1), whole);
            if (to < from) throw new ComposeException("invalid port specification: '" + whole + "'");
            int[] r = new int[to - from + 1];
            for (int i = 0; i < r.length; i++) r[i] = from + i;
            return r;
        } catch (NumberFormatException e) {
            throw new ComposeException("invalid port specification: '" + whole + "'");
        }
    }

    private static int port(String s, String whole) {
        int n = Integer.parseInt(s);
        if (n < 0 || n > 65535) throw new ComposeException("invalid port specification: '" + whole + "': port out of range");
        return n;
    }
}
