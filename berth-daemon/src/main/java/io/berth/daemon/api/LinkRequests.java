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
 * The linked container must exist (Docker's "could not get container for X"); that it runs is checked at each start.
 * Links are legacy links on the default bridge only: host and container modes are refused with Docker's messages;
 * on a user-defined network Docker makes the alias a name only the linking container resolves, which aardvark-dns
 * (one set of names per network, the same for every container on it) cannot express, so berth refuses it by name.
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
            if (!copied.isEmpty() && !new java.util.HashSet<>(sent).containsAll(copied)) {
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
        if (!network.mode().equals(NetworkSpec.DEFAULT_BRIDGE)) {
            throw new InvalidArgumentException("berth does not support HostConfig.Links on the user-defined network " + network.mode()
                    + " yet (a link alias there resolves for the linking container only); use a network alias (--network-alias) instead");
        }
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
