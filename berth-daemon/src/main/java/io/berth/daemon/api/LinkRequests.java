package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.NetworkSpec;

/**
 * HostConfig.Links of a create body: {@code "NAME:ALIAS"}, {@code "NAME"} (the alias is the name), or the form
 * inspect shows, {@code "/NAME:/PARENT/ALIAS"} (a client that re-creates a container from its inspect sends it).
 * On the default bridge they are legacy links: the linked container must exist (Docker's "could not get container
 * for X"); that it runs is checked at each start. Host and container modes are refused with Docker's messages.
 * On a user-defined network a link is an endpoint setting instead ({@link #onUserNetwork}): a name only the linking
 * container resolves, whose target need not exist yet, as in Docker.
 */
final class LinkRequests {
    /** Docker's container-name characters: an alias goes into /etc/hosts and variable names, nothing else may. */
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    /** How an endpoint on the default bridge is keyed in EndpointsConfig. */
    static final java.util.Set<String> DEFAULT_BRIDGE_KEYS = java.util.Set.of(NetworkSpec.DEFAULT_BRIDGE, "default");

    private LinkRequests() {}

    /** A link as sent: the linked container's name or id, and the alias. */
    record Parsed(String name, String alias) {}

    static Parsed parse(String link) {
        if (link.isEmpty()) throw new InvalidArgumentException("empty string specified for links");
        String[] parts = link.split(":", -1);
        if (parts.length > 2) throw new InvalidArgumentException("bad format for links: " + link);
        if (parts.length == 1) return checked(link, link, link);
        if (parts[0].startsWith("/")) {
            return checked(link, parts[0].substring(1), parts[1].substring(parts[1].lastIndexOf('/') + 1));
        }
        return checked(link, parts[0], parts[1]);
    }

    private static Parsed checked(String link, String name, String alias) {
        if (name.isEmpty() || !ALIAS.matcher(alias).matches()) throw new InvalidArgumentException("bad format for links: " + link);
        return new Parsed(name, alias);
    }

    /**
     * The links of one endpoint on a user-defined network, from the lists given (the endpoint's own Links, and for the
     * container's first network HostConfig.Links: the docker CLI sends {@code --link} in both, docker-py's
     * {@code links=} only in HostConfig, where Docker's daemon would leave them unused; berth applies them). Nothing
     * is looked up: as in Docker, the target may not exist yet and resolves whenever it runs on the network. The same
     * link twice is one; one alias for two targets is refused. Target and alias go into /etc/hosts, so both must have
     * container-name characters.
     */
    @SafeVarargs
    static List<NetworkSpec.EndpointLink> onUserNetwork(List<String>... lists) {
        List<NetworkSpec.EndpointLink> out = new ArrayList<>();
        for (List<String> sent : lists) {
            for (String link : sent) {
                Parsed p = parse(link);
                if (!ALIAS.matcher(p.name()).matches()) throw new InvalidArgumentException("bad format for links: " + link);
                NetworkSpec.EndpointLink l = new NetworkSpec.EndpointLink(p.name(), p.alias());
                if (out.contains(l)) continue;
                if (out.stream().anyMatch(o -> o.alias().equals(p.alias()))) {
                    throw new InvalidArgumentException("Conflict. The link alias \"" + p.alias() + "\" is given twice");
                }
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param containerIds a container's full id from its name or id; throws NotFoundException "No such container: X"
     */
    static List<NetworkSpec.Link> resolve(JsonNode links, NetworkSpec network, UnaryOperator<String> containerIds) {
        return resolve(links, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), network, containerIds);
    }

    /**
     * @param endpoints NetworkingConfig.EndpointsConfig: {@code docker run --network bridge --link X} copies the
     *                  links into the bridge's endpoint, where Docker does nothing more with them; any other list
     *                  there is refused by name
     */
    static List<NetworkSpec.Link> resolve(JsonNode links, JsonNode endpoints, NetworkSpec network, UnaryOperator<String> containerIds) {
        List<String> sent = CreateRequestTranslator.strings(links);
        for (String key : DEFAULT_BRIDGE_KEYS) {
            List<String> copied = CreateRequestTranslator.strings(endpoints.path(key).path("Links"));
            // a bridge endpoint beside another first network: no legacy link is made there
            boolean bridgeFirst = network.mode().equals(NetworkSpec.DEFAULT_BRIDGE);
            if (!copied.isEmpty() && (!bridgeFirst || !new java.util.HashSet<>(sent).containsAll(copied))) {
                throw new InvalidArgumentException("berth does not support NetworkingConfig.EndpointsConfig." + key
                        + ".Links other than HostConfig.Links yet");
            }
        }
        if (sent.isEmpty()) return List.of();
        if (network.isHost()) {
            throw new InvalidArgumentException("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        }
        if (!network.joinedContainer().isEmpty()) {
            throw new InvalidArgumentException("conflicting options: container type network can't be used with links. This would result in undefined behavior");
        }
        if (network.isNone()) {
            throw new InvalidArgumentException("berth does not support HostConfig.Links with HostConfig.NetworkMode=none (no link can be reached)");
        }
        // on a user-defined network the links are the first endpoint's (onUserNetwork), not legacy links
        if (!network.mode().equals(NetworkSpec.DEFAULT_BRIDGE)) return List.of();
        List<NetworkSpec.Link> out = new ArrayList<>();
        for (String link : sent) {
            Parsed p = parse(link);
            String id;
            try {
                id = containerIds.apply(p.name());
            } catch (NotFoundException e) {
                // a 400, not Docker's 404 text alone: the docker CLI answers a 404 from create by pulling the image
                throw new InvalidArgumentException("could not get container for " + p.name() + ": " + e.getMessage());
            }
            if (out.stream().anyMatch(l -> l.alias().equals(p.alias()))) {
                throw new InvalidArgumentException("Conflict. The link alias \"" + p.alias() + "\" is given twice");
            }
            out.add(new NetworkSpec.Link(id, p.alias()));
        }
        return List.copyOf(out);
    }
}
