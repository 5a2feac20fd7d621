package io.berth.network.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The resolv.conf a networked container gets, as Docker writes it:
 * <ul>
 * <li>on a network with name resolution, the network's resolver (aardvark-dns at the gateway, Docker's embedded
 *     DNS) is the only name server; --dns servers become that resolver's upstreams instead; {@code ndots:0} is
 *     added unless ndots is given, as Docker does for its embedded DNS;</li>
 * <li>otherwise --dns, or the host's name servers without loopback ones (unreachable from the container's
 *     namespace), or Google's public resolvers when nothing is left;</li>
 * <li>with the host's network, the host's name servers as they are (loopback is reachable there);</li>
 * <li>search domains and options: --dns-search / --dns-option, else the host's.</li>
 * </ul>
 */
public final class ResolvConf {
    private ResolvConf() {}

    /** What the host's resolv.conf says. */
    public record Parsed(List<String> nameservers, List<String> search, List<String> options) {}

    public static Parsed parse(String content) {
        List<String> ns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#") || f[0].startsWith(";")) continue;
            switch (f[0]) {
                case "nameserver" -> ns.add(f[1]);
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> options.addAll(List.of(f).subList(1, f.length));
                default -> { }
            }
        }
        return new Parsed(ns, search, options);
    }

    /**
     * @param resolvers the network resolvers' addresses; empty when no network of the container resolves names
     * @param hostNetwork the container shares the host's namespace
     */
    public static String build(Parsed host, List<String> resolvers, boolean hostNetwork, List<String> dns,
                               List<String> dnsSearch, List<String> dnsOptions) {
        List<String> servers;
        List<String> options = new ArrayList<>(dnsOptions.isEmpty() ? host.options() : dnsOptions);
        if (!resolvers.isEmpty()) {
            servers = resolvers;
            if (options.stream().noneMatch(o -> o.startsWith("ndots:"))) options.add("ndots:0");
        } else if (!dns.isEmpty()) {
            servers = dns;
        } else if (hostNetwork) {
            servers = host.nameservers();
        } else {
            servers = host.nameservers().stream().filter(s -> !s.startsWith("127.") && !s.equals("::1")).toList();
            if (servers.isEmpty()) servers = List.of("8.8.8.8", "8.8.4.4");
        }
        if (hostNetwork && !dns.isEmpty()) servers = dns;
        StringBuilder out = new StringBuilder();
        List<String> search = dnsSearch.isEmpty() ? host.search() : dnsSearch;
        // "--dns-search ." means no search domains at all
        if (!search.isEmpty() && !search.equals(List.of("."))) out.append("search ").append(String.join(" ", search)).append('\n');
        for (String s : servers) out.append("nameserver ").append(s).append('\n');
        if (!options.isEmpty()) out.append("options ").append(String.join(" ", options)).append('\n');
        return out.toString();
    }
}
