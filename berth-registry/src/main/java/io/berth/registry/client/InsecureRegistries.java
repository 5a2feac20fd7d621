package io.berth.registry.client;

import io.berth.oci.errors.InvalidArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which registries are spoken to over plain HTTP, as dockerd's {@code insecure-registries} decides: entries are
 * {@code host[:port]} names or CIDRs ({@code 10.0.0.0/8}); loopback (localhost, 127.0.0.0/8, ::1) is always
 * insecure, as in Docker, so that a registry on the same machine needs no certificate.
 */
public final class InsecureRegistries {
    private record Cidr(byte[] network, int prefix) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<String> hosts = new ArrayList<>();
    private final List<Cidr> cidrs = new ArrayList<>();

    public InsecureRegistries(List<String> entries) {
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            int scheme = entry.indexOf("://");
            if (scheme >= 0) {
                entry = entry.substring(scheme + 3);
            }
            if (entry.endsWith("/")) {
                entry = entry.substring(0, entry.length() - 1);
            }
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                cidrs.add(parseCidr(raw, entry.substring(0, slash), entry.substring(slash + 1)));
            } else {
                hosts.add(entry);
            }
        }
    }

    private static Cidr parseCidr(String raw, String address, String prefix) {
        try {
            byte[] network = InetAddress.ofLiteral(address).getAddress();
            int bits = Integer.parseInt(prefix);
            if (bits < 0 || bits > network.length * 8) {
                throw new InvalidArgumentException("insecure registry " + raw + ": bad prefix length");
            }
            return new Cidr(network, bits);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("insecure registry " + raw + ": not host[:port] or a CIDR", e);
        }
    }

    /** True when {@code domain} ("host[:port]") is to be reached with plain HTTP. */
    public boolean isInsecure(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (hosts.contains(d)) {
            return true;
        }
        String host = hostOf(d);
        if (hosts.contains(host) || host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        InetAddress address = resolve(host);
        if (address == null) {
            return false;
        }
        return address.isLoopbackAddress() || cidrs.stream().anyMatch(c -> c.contains(address));
    }

    /** The host part of "host[:port]", also for bracketed IPv6 literals. */
    static String hostOf(String domain) {
        if (domain.startsWith("[")) {
            int close = domain.indexOf(']');
            return close > 0 ? domain.substring(1, close) : domain;
        }
        int colon = domain.lastIndexOf(':');
        return colon >= 0 && domain.indexOf(':') == colon ? domain.substring(0, colon) : domain;
    }

    private InetAddress resolve(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notLiteral) {
            if (cidrs.isEmpty()) {
                // Only CIDR entries need a name resolved; skip the DNS lookup otherwise.
                return null;
            }
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
