package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.network.Subnet;
import io.berth.oci.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code network create}: prints the new network's id, as docker does. As the docker CLI, it pairs each --gateway
 * and --ip-range with the --subnet that contains it; the daemon judges everything else (drivers and options berth
 * does not apply are refused there, by name).
 */
@Command(name = "create", description = "Create a network", customSynopsis = "berth network create [OPTIONS] NETWORK")
public final class NetworkCreateCommand extends ApiCommand {

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Driver to manage the Network (default \"bridge\")")
    String driver = "bridge";

    @Option(names = "--subnet", paramLabel = "strings", description = "Subnet in CIDR format that represents a network segment")
    List<String> subnets = new ArrayList<>();

    @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range")
    List<String> ranges = new ArrayList<>();

    @Option(names = "--ipv6", description = "Enable or disable IPv6 networking")
    boolean ipv6;

    @Option(names = "--internal", description = "Restrict external access to the network")
    boolean internal;

    @Option(names = "--attachable", description = "Enable manual container attachment")
    boolean attachable;

    @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
    List<String> options = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1", paramLabel = "NETWORK")
    String name;

    @Override
    public Integer call() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Name", name);
        body.put("CheckDuplicate", true);
        body.put("Driver", driver);
        body.put("EnableIPv6", ipv6);
        ObjectNode ipam = body.putObject("IPAM");
        ipam.put("Driver", "default");
        ipam.putObject("Options");
        ArrayNode config = ipam.putArray("Config");
        for (ObjectNode c : consolidate(subnets, ranges, gateways)) config.add(c);
        body.put("Internal", internal);
        body.put("Attachable", attachable);
        ObjectNode o = body.putObject("Options");
        VolumeCreateCommand.pairs(options, true).forEach(o::put);
        ObjectNode l = body.putObject("Labels");
        VolumeCreateCommand.pairs(labels, false).forEach(l::put);
        JsonNode created = client().createNetwork(body);
        String warning = created.path("Warning").asText("");
        if (!warning.isEmpty()) err().println("WARNING: " + warning);
        out().println(created.path("Id").asText());
        return 0;
    }

    /** The docker CLI's pairing: each range and gateway to the one given subnet that contains it. */
    static List<ObjectNode> consolidate(List<String> subnets, List<String> ranges, List<String> gateways) {
        if (subnets.size() < ranges.size() || subnets.size() < gateways.size()) {
            throw new CliException(1, "every ip-range or gateway must have a corresponding subnet");
        }
        List<Subnet> parsed = new ArrayList<>();
        List<ObjectNode> out = new ArrayList<>();
        for (String s : subnets) {
            Subnet p = parse(s);
            for (Subnet other : parsed) {
                if (other.overlaps(p)) throw new CliException(1, "multiple overlapping subnet configuration is not supported");
            }
            parsed.add(p);
            ObjectNode c = JsonNodeFactory.instance.objectNode();
            c.put("Subnet", s);
            out.add(c);
        }
        for (String r : ranges) {
            Subnet range = parse(r);
            boolean matched = false;
            for (int i = 0; i < parsed.size(); i++) {
                if (!parsed.get(i).contains(range)) continue;
                ObjectNode c = out.get(i);
                if (c.has("IPRange")) {
                    throw new CliException(1, "cannot configure multiple ranges (" + r + ", " + c.get("IPRange").asText()
                            + ") on the same subnet (" + subnets.get(i) + ")");
                }
                c.put("IPRange", r);
                matched = true;
            }
            if (!matched) throw new CliException(1, "no matching subnet for range " + r);
        }
        for (String g : gateways) {
            var address = parseAddress(g);
            boolean matched = false;
            for (int i = 0; i < parsed.size(); i++) {
                if (!parsed.get(i).contains(address)) continue;
                ObjectNode c = out.get(i);
                if (c.has("Gateway")) {
                    throw new CliException(1, "cannot configure multiple gateways (" + g + ", " + c.get("Gateway").asText()
                            + ") for the same subnet (" + subnets.get(i) + ")");
                }
                c.put("Gateway", g);
                matched = true;
            }
            if (!matched) throw new CliException(1, "no matching subnet for gateway " + g);
        }
        return out;
    }

    private static Subnet parse(String cidr) {
        try {
            return Subnet.parseLenient(cidr);
        } catch (InvalidArgumentException e) {
            throw new CliException(1, e.getMessage());
        }
    }

    private static java.net.InetAddress parseAddress(String a) {
        try {
            return Subnet.parseAddress(a);
        } catch (InvalidArgumentException e) {
            throw new CliException(1, e.getMessage());
        }
    }

}
