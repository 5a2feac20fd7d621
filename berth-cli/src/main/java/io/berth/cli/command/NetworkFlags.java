package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --network} (plain or {@code name=N,alias=A,ip=..,ip6=..,mac-address=..}), {@code --network-alias},
 * {@code --ip}, {@code --ip6} and {@code --mac-address} as the docker CLI turns them into HostConfig.NetworkMode and
 * NetworkingConfig.EndpointsConfig: the first network is the mode and takes the plain flags; with no --network the
 * endpoint is "default"; one plain network without settings sends no endpoint.
 */
final class NetworkFlags {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Parsed(String mode, ObjectNode endpoints) {}

    /** One --network value. */
    private record Attachment(String target, List<String> aliases, String ipv4, String ipv6, String mac) {
        boolean isEmpty() {
            return aliases.isEmpty() && ipv4.isEmpty() && ipv6.isEmpty() && mac.isEmpty();
        }
    }

    private NetworkFlags() {}

    static Parsed parse(List<String> networks, List<String> aliases, String ip, String ip6, String mac) {
        List<Attachment> attachments = new ArrayList<>();
        for (String n : networks) attachments.add(attachment(n));
        boolean plainDefault = attachments.isEmpty();
        if (plainDefault) attachments.add(new Attachment("default", List.of(), "", "", ""));
        Attachment first = attachments.getFirst();
        if (!first.aliases().isEmpty() && !aliases.isEmpty()) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --network-alias and per-network alias");
        }
        if (!first.ipv4().isEmpty() && ip != null) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --ip and per-network IPv4 address");
        }
        if (!first.ipv6().isEmpty() && ip6 != null) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
        }
        if (!first.mac().isEmpty() && mac != null) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --mac-address and per-network MAC address");
        }
        attachments.set(0, new Attachment(first.target(), aliases.isEmpty() ? first.aliases() : List.copyOf(aliases),
                ip == null ? first.ipv4() : ip, ip6 == null ? first.ipv6() : ip6, mac == null ? first.mac() : mac));

        boolean userDefined = false;
        boolean builtin = false;
        Map<String, Attachment> byName = new LinkedHashMap<>();
        for (Attachment a : attachments) {
            if (isUserDefined(a.target())) userDefined = true; else builtin = true;
            if (byName.put(a.target(), a) != null) throw new IllegalArgumentException("network \"" + a.target() + "\" is specified multiple times");
        }
        if (userDefined && builtin) {
            throw new IllegalArgumentException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
        }
        ObjectNode endpoints = NODES.objectNode();
        for (Attachment a : attachments) {
            if (!isUserDefined(a.target()) && !a.aliases().isEmpty()) {
                throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined networks");
            }
            if (!a.mac().isEmpty() && !a.mac().strip().matches("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}")) {
                throw new IllegalArgumentException(a.mac() + " is not a valid mac address");
            }
            // a single network without settings goes without an endpoint, as the docker CLI sends it
            if (attachments.size() == 1 && !plainDefault && a.isEmpty()) continue;
            ObjectNode e = endpoints.putObject(a.target());
            if (!a.ipv4().isEmpty() || !a.ipv6().isEmpty()) {
                ObjectNode ipam = e.putObject("IPAMConfig");
                if (!a.ipv4().isEmpty()) ipam.put("IPv4Address", a.ipv4());
                if (!a.ipv6().isEmpty()) ipam.put("IPv6Address", a.ipv6());
            }
            if (!a.aliases().isEmpty()) {
                var list = e.putArray("Aliases");
                a.aliases().forEach(list::add);
            }
            if (!a.mac().isEmpty()) e.put("MacAddress", a.mac());
        }
        return new Parsed(plainDefault ? "default" : attachments.getFirst().target(), endpoints);
    }

    private static boolean isUserDefined(String mode) {
        return !List.of("default", "bridge", "host", "none").contains(mode) && !mode.startsWith("container:");
    }

    /** "NAME", or the advanced syntax "name=NAME,alias=A,ip=..,ip6=..,mac-address=.." */
    private static Attachment attachment(String value) {
        if (!value.contains("=")) return new Attachment(value, List.of(), "", "", "");
        String name = "";
        List<String> aliases = new ArrayList<>();
        String ipv4 = "";
        String ipv6 = "";
        String mac = "";
        for (String field : value.split(",")) {
            int eq = field.indexOf('=');
            String key = eq < 0 ? field : field.substring(0, eq);
            String v = eq < 0 ? "" : field.substring(eq + 1);
            switch (key) {
                case "name" -> name = v;
                case "alias" -> aliases.add(v);
                case "ip" -> ipv4 = v;
                case "ip6" -> ipv6 = v;
                case "mac-address" -> mac = v;
                case "driver-opt", "link-local-ip", "gw-priority" ->
                        throw new IllegalArgumentException("berth does not support --network " + key + " yet");
                default -> throw new IllegalArgumentException("invalid field key " + key);
            }
        }
        if (name.isEmpty()) throw new IllegalArgumentException("network name is missing");
        return new Attachment(name, aliases, ipv4, ipv6, mac);
    }
}
