package io.berth.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The daemon endpoint the client talks to. Precedence follows the docker CLI, with berth's own
 * variable first: {@code -H/--host} flag, then {@code BERTH_HOST}, then {@code DOCKER_HOST}, then the
 * default berthd socket.
 */
public sealed interface DockerHost {

    String DEFAULT = "unix:///run/berth/berth.sock";

    /** A Unix-domain socket path. */
    record Unix(Path socket) implements DockerHost {
        @Override
        public String uri() {
            return "unix://" + socket;
        }
    }

    /** A TCP endpoint, with TLS or (tls null) plain HTTP. */
    record Tcp(String host, int port, ClientTls tls) implements DockerHost {
        public Tcp(String host, int port) {
            this(host, port, null);
        }

        @Override
        public String uri() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    String uri();

    static DockerHost resolve(String flag, Map<String, String> env) {
        return resolve(flag, env, null);
    }

    /** The endpoint, with {@code tls} applied when it is a TCP one (a Unix socket never uses TLS, as in docker). */
    static DockerHost resolve(String flag, Map<String, String> env, ClientTls tls) {
        DockerHost host = parse(chosen(flag, env));
        return tls != null && host instanceof Tcp tcp ? new Tcp(tcp.host(), tcp.port(), tls) : host;
    }

    private static String chosen(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        for (String name : new String[] {"BERTH_HOST", "DOCKER_HOST"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return DEFAULT;
    }

    static DockerHost parse(String value) {
        String v = value.trim();
        if (v.startsWith("unix://")) {
            String path = v.substring("unix://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("invalid unix socket address: " + value);
            }
            return new Unix(Path.of(path));
        }
        if (v.startsWith("/")) {
            return new Unix(Path.of(v));
        }
        if (v.startsWith("tcp://") || v.startsWith("http://")) {
            URI uri = URI.create(v);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("invalid tcp address: " + value);
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Tcp(host, uri.getPort() < 0 ? 2375 : uri.getPort());
        }
        throw new IllegalArgumentException("unsupported host address (use unix:// or tcp://): " + value);
    }
}
