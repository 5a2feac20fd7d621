package io.berth.daemon.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;

import io.berth.oci.errors.InvalidArgumentException;

/** An address berthd serves the Engine API on, as dockerd's {@code -H}: {@code unix:///PATH} or {@code tcp://HOST:PORT}. */
public sealed interface ApiHost {
    /** Docker's ports: 2375 for plain HTTP, 2376 for TLS. */
    int PLAIN_PORT = 2375;
    int TLS_PORT = 2376;

    record Unix(Path socket) implements ApiHost {
        @Override
        public String uri() {
            return "unix://" + socket;
        }
    }

    /** {@code host} is a name or a literal address (IPv6 without brackets). */
    record Tcp(String host, int port) implements ApiHost {
        @Override
        public String uri() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        /**
         * Whether every address the host names is a loopback one: only such a listener is out of other machines'
         * reach. A name that does not resolve counts as not loopback.
         */
        public boolean loopback() {
            if (host.equals("localhost")) return true;
            try {
                InetAddress[] all = InetAddress.getAllByName(host);
                for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
                return all.length > 0;
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    String uri();

    /**
     * Parses a {@code -H} value. As dockerd: a TCP host without a name listens on 127.0.0.1, without a port on 2375
     * (2376 when {@code tls}).
     */
    static ApiHost parse(String value, boolean tls) {
        String v = value.trim();
        if (v.startsWith("unix://")) {
            String path = v.substring("unix://".length());
            if (path.isEmpty() || !path.startsWith("/")) throw new InvalidArgumentException("invalid unix socket address (an absolute path is needed): " + value);
            return new Unix(Path.of(path));
        }
        if (v.startsWith("tcp://")) {
            String rest = v.substring("tcp://".length());
            if (rest.contains("/") || rest.contains("?") || rest.contains("#") || rest.contains("@")) {
                throw new InvalidArgumentException("invalid tcp address (tcp://HOST:PORT): " + value);
            }
            URI uri;
            try {
                uri = new URI("tcp://" + (rest.startsWith(":") ? "127.0.0.1" + rest : rest));
            } catch (URISyntaxException e) {
                throw new InvalidArgumentException("invalid tcp address (tcp://HOST:PORT): " + value);
            }
            String host = uri.getHost();
            if (host == null || host.isEmpty()) throw new InvalidArgumentException("invalid tcp address (tcp://HOST:PORT): " + value);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port = uri.getPort() < 0 ? (tls ? TLS_PORT : PLAIN_PORT) : uri.getPort();
            if (port == 0 || port > 65535) throw new InvalidArgumentException("invalid port in tcp address: " + value);
            return new Tcp(host, port);
        }
        throw new InvalidArgumentException("only unix:// and tcp:// hosts are supported: " + value);
    }
}
