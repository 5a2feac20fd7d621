package io.berth.runtime;

/**
 * The container's network identity. Today every container has its own network namespace with loopback only;
 * networks (netavark: attachments, addresses, ports, DNS) are added here as fields when berth implements them,
 * never before (an option berth does not apply is refused at create, not stored).
 *
 * @param hostname the UTS hostname, also written to /etc/hostname; empty means the id's first 12 characters
 */
public record NetworkSpec(String hostname) {
    public static final NetworkSpec DEFAULT = new NetworkSpec("");

    public NetworkSpec {
        hostname = hostname == null ? "" : hostname;
    }
}
