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

    /** A plain TCP endpoint (no TLS). */
    record Tcp(String host, int port) implements DockerHost {
        @Override
        public String uri() {
            return "tcp://" + host + ":" + port;
        }
    }

    String uri();

    static DockerHost resolve(String flag, Map<String, String> env) {
        if (flag != null && !flag.isBlank()) {
            return parse(flag);
        }
        for (String name : new String[] {"BERTH_HOST", "DOCKER_HOST"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return parse(value);
            }
        }
        return parse(DEFAULT);
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
            return new Tcp(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
        }
        throw new IllegalArgumentException("unsupported host address (use unix:// or tcp://): " + value);
    }
}
