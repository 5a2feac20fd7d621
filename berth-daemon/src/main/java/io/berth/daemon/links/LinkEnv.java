package io.berth.daemon.links;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The variables a legacy link gives the linking container, as Docker names them. For {@code --link db:my-db} in
 * container /web, with db exposing 5432/tcp at 172.17.0.2:
 * <pre>
 * MY_DB_PORT=tcp://172.17.0.2:5432            the first port: TCP before other protocols, then by number
 * MY_DB_PORT_5432_TCP=tcp://172.17.0.2:5432   for each port, with _ADDR, _PORT and _PROTO
 * MY_DB_PORT_5000_TCP_START=... _END=...      for each run of consecutive ports, with _PORT_START and _PORT_END
 * MY_DB_NAME=/web/my-db
 * MY_DB_ENV_PASSWORD=x                        each variable of db's own env, but HOME and PATH
 * </pre>
 */
public final class LinkEnv {
    private LinkEnv() {}

    /** A port the linked container exposes. */
    record Port(int number, String protocol) {
        /** "80/tcp", or "80" for tcp. */
        static Port parse(String exposed) {
            int slash = exposed.indexOf('/');
            if (slash < 0) return new Port(Integer.parseInt(exposed), "tcp");
            return new Port(Integer.parseInt(exposed.substring(0, slash)), exposed.substring(slash + 1).toLowerCase(Locale.ROOT));
        }

        /** Docker's order: TCP ports first, the other protocols by name, each by number. */
        static final Comparator<Port> ORDER = Comparator.comparing((Port p) -> !p.protocol.equals("tcp"))
                .thenComparing(Port::protocol).thenComparingInt(Port::number);
    }

    /**
     * @param linkName the link's full name, "/PARENT/ALIAS"
     * @param childIp the linked container's address on the default bridge
     * @param childEnv its environment ("NAME=value")
     * @param exposed its exposed ports ("5432/tcp")
     */
    public static List<String> build(String linkName, String childIp, List<String> childEnv, List<String> exposed) {
        String alias = linkName.substring(linkName.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT).replace('-', '_');
        List<Port> ports = new ArrayList<>(exposed.stream().map(Port::parse).distinct().toList());
        ports.sort(Port.ORDER);
        List<String> env = new ArrayList<>();
        if (!ports.isEmpty()) env.add(alias + "_PORT=" + url(ports.getFirst(), childIp));
        int runStart = 0;
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            String prefix = prefix(alias, p);
            env.add(prefix + "=" + url(p, childIp));
            env.add(prefix + "_ADDR=" + childIp);
            env.add(prefix + "_PORT=" + p.number());
            env.add(prefix + "_PROTO=" + p.protocol());
            boolean runGoesOn = i + 1 < ports.size() && ports.get(i + 1).number() == p.number() + 1
                    && ports.get(i + 1).protocol().equals(p.protocol());
            if (runGoesOn) continue;
            if (i > runStart) {
                Port first = ports.get(runStart);
                String rangePrefix = prefix(alias, first);
                env.add(rangePrefix + "_START=" + url(first, childIp));
                env.add(rangePrefix + "_PORT_START=" + first.number());
                env.add(rangePrefix + "_END=" + url(p, childIp));
                env.add(rangePrefix + "_PORT_END=" + p.number());
            }
            runStart = i + 1;
        }
        env.add(alias + "_NAME=" + linkName);
        for (String variable : childEnv) {
            int eq = variable.indexOf('=');
            if (eq < 0) continue;
            String name = variable.substring(0, eq);
            // what an image build sets for every container says nothing about the linked one
            if (name.equals("HOME") || name.equals("PATH")) continue;
            env.add(alias + "_ENV_" + name + "=" + variable.substring(eq + 1));
        }
        return env;
    }

    private static String prefix(String alias, Port p) {
        return alias + "_PORT_" + p.number() + "_" + p.protocol().toUpperCase(Locale.ROOT);
    }

    private static String url(Port p, String ip) {
        return p.protocol() + "://" + ip + ":" + p.number();
    }
}
