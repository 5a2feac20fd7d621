package io.berth.runtime;

import java.util.List;

/**
 * The container's network settings as asked for at create. What they become at each start (addresses, MACs, the
 * host ports picked for {@code hostPort 0}) is the network step's result, not part of the spec.
 *
 * <pre>
 * mode "none"            its own namespace with loopback only
 *      "host"            the host's namespace
 *      "container:ID"    another container's namespace (ID is the full id, resolved at create)
 *      anything else     the name of the first network in {@code attachments} ("bridge" is the default network)
 * </pre>
 *
 * @param hostname the UTS hostname, also written to /etc/hostname; empty means the id's first 12 characters
 * @param attachments the networks the container is connected to, in connection order; empty unless mode names a network
 * @param ports published ports (HostConfig.PortBindings), one entry per container port and host binding
 * @param exposed the container's exposed ports ("80/tcp"), from the image and Config.ExposedPorts
 * @param publishAll -P: every exposed port without a binding is published on a random host port
 * @param dns name servers (--dns); empty means the network's resolver or the host's
 * @param extraHosts --add-host entries; an address "host-gateway" means the host as the container reaches it
 * @param links legacy links (--link) on the default bridge, in the order given; resolved at each start (links on a
 *              user-defined network belong to that network's {@link Attachment})
 */
public record NetworkSpec(String hostname, String mode, List<Attachment> attachments, List<PortBinding> ports,
                          List<String> exposed, boolean publishAll, List<String> dns, List<String> dnsSearch,
                          List<String> dnsOptions, List<HostEntry> extraHosts, List<Link> links) {
    public static final String NONE = "none";
    public static final String HOST = "host";
    public static final String CONTAINER_PREFIX = "container:";
    public static final String DEFAULT_BRIDGE = "bridge";

    /** A container on nothing but loopback: what berth gave every container before it had networks. */
    public static final NetworkSpec DEFAULT = new NetworkSpec("", NONE, List.of(), List.of(), List.of(), false,
            List.of(), List.of(), List.of(), List.of());

    public NetworkSpec {
        hostname = hostname == null ? "" : hostname;
        mode = mode == null || mode.isEmpty() ? NONE : mode;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposed = exposed == null ? List.of() : List.copyOf(exposed);
        dns = dns == null ? List.of() : List.copyOf(dns);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** Settings without links. */
    public NetworkSpec(String hostname, String mode, List<Attachment> attachments, List<PortBinding> ports,
                       List<String> exposed, boolean publishAll, List<String> dns, List<String> dnsSearch,
                       List<String> dnsOptions, List<HostEntry> extraHosts) {
        this(hostname, mode, attachments, ports, exposed, publishAll, dns, dnsSearch, dnsOptions, extraHosts, List.of());
    }

    public NetworkSpec withHostname(String h) {
        return new NetworkSpec(h, mode, attachments, ports, exposed, publishAll, dns, dnsSearch, dnsOptions, extraHosts, links);
    }

    public NetworkSpec withLinks(List<Link> l) {
        return new NetworkSpec(hostname, mode, attachments, ports, exposed, publishAll, dns, dnsSearch, dnsOptions, extraHosts, l);
    }

    public NetworkSpec withExtraHosts(List<HostEntry> hosts) {
        return new NetworkSpec(hostname, mode, attachments, ports, exposed, publishAll, dns, dnsSearch, dnsOptions, hosts);
    }

    public boolean isHost() {
        return mode.equals(HOST);
    }

    public boolean isNone() {
        return mode.equals(NONE);
    }

    /** The full id of the container whose namespace this one joins, or empty. */
    public String joinedContainer() {
        return mode.startsWith(CONTAINER_PREFIX) ? mode.substring(CONTAINER_PREFIX.length()) : "";
    }

    /**
     * One network the container is connected to.
     *
     * @param networkId the network's full id (a network re-created under the same name is a different network)
     * @param ipv4Address requested address (--ip), empty for the next free one
     * @param ipv6Address requested address (--ip6), empty for the next free one
     * @param macAddress requested MAC (--mac-address), empty for a generated one
     * @param links links on this user-defined network ({@code --link} there, {@code network connect --link}), in
     *              the order given
     */
    public record Attachment(String network, String networkId, List<String> aliases, String ipv4Address,
                             String ipv6Address, String macAddress, List<EndpointLink> links) {
        public Attachment {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            ipv4Address = ipv4Address == null ? "" : ipv4Address;
            ipv6Address = ipv6Address == null ? "" : ipv6Address;
            macAddress = macAddress == null ? "" : macAddress;
            links = links == null ? List.of() : List.copyOf(links);
        }

        /** An attachment without links. */
        public Attachment(String network, String networkId, List<String> aliases, String ipv4Address,
                          String ipv6Address, String macAddress) {
            this(network, networkId, aliases, ipv4Address, ipv6Address, macAddress, List.of());
        }
    }

    /**
     * A published port: {@code hostIp:hostPort -> containerPort/protocol}.
     *
     * @param hostIp empty for every address of the host
     * @param hostPort 0 for a free port picked at each start
     */
    public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
        public PortBinding {
            protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
            hostIp = hostIp == null ? "" : hostIp;
        }
    }

    /** An /etc/hosts line added with --add-host. */
    public record HostEntry(String host, String address) {}

    /**
     * A legacy link ({@code --link NAME:ALIAS}): the linked container by its full id (it keeps the link through a
     * rename, as Docker's), and the alias this container knows it by.
     */
    public record Link(String containerId, String alias) {}

    /**
     * A link on a user-defined network ({@code --link TARGET:ALIAS} there): not a legacy link but, as in Docker, a
     * name only this container resolves. ALIAS (and TARGET) name the addresses on this network of whichever
     * running container TARGET names there (its name, a network alias or its short id), looked up whenever that
     * changes; a TARGET that does not exist or is elsewhere resolves to nothing, and is no error.
     */
    public record EndpointLink(String target, String alias) {
        /** As inspect shows it: "TARGET:ALIAS", or "TARGET" when the alias is the target. */
        public String inspectForm() {
            return alias.equals(target) ? target : target + ":" + alias;
        }
    }
}
