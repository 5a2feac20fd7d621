package io.berth.daemon.links;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.berth.runtime.NetworkSpec;

/**
 * The /etc/hosts lines that links on user-defined networks give the linking container. Docker answers such a link
 * in its embedded DNS, for the linking container only; aardvark-dns has one set of names per network, the same for
 * every container on it, so berth writes what the linking container would be told into its own /etc/hosts instead.
 * For {@code --link db:database} on network n, with db at 10.89.0.2 there:
 * <pre>
 * 10.89.0.2	database db       the alias, then the target as the link names it (once when they are the same)
 * fd00::2	database db       its IPv6 address there too, when it has one
 * </pre>
 * A target that is not running on that network gives no line (Docker's DNS has no answer for it either); a name that
 * several running containers answer to there (a shared network alias) gives a line for each.
 */
public final class EndpointLinkHosts {
    private EndpointLinkHosts() {}

    /**
     * A running container's endpoint on one network.
     *
     * @param names what it answers to there: its name, its network aliases and its short id
     * @param ipv4 its address there, or ""
     * @param ipv6 its global IPv6 address there, or ""
     */
    public record Peer(String networkId, Set<String> names, String ipv4, String ipv6) {}

    /** The lines for the links of {@code attachments}, in link order, among the endpoints of running containers. */
    public static List<String> lines(List<NetworkSpec.Attachment> attachments, List<Peer> peers) {
        List<String> out = new ArrayList<>();
        for (NetworkSpec.Attachment a : attachments) {
            for (NetworkSpec.EndpointLink link : a.links()) {
                String names = link.alias().equals(link.target()) ? link.alias() : link.alias() + " " + link.target();
                for (Peer p : peers) {
                    if (!p.networkId().equals(a.networkId()) || !p.names().contains(link.target())) continue;
                    if (!p.ipv4().isEmpty()) out.add(p.ipv4() + "\t" + names);
                    if (!p.ipv6().isEmpty()) out.add(p.ipv6() + "\t" + names);
                }
            }
        }
        return out;
    }

    /** Whether the container has any link on a user-defined network. */
    public static boolean hasLinks(NetworkSpec spec) {
        return spec.attachments().stream().anyMatch(a -> !a.links().isEmpty());
    }
}
