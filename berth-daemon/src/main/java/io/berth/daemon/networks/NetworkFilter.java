package io.berth.daemon.networks;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

import io.berth.daemon.api.Filters;
import io.berth.network.Network;
import io.berth.network.NetworkService;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * The `filters` of GET /networks (dangling, driver, id, label, name, scope, type) and POST /networks/prune (until,
 * label, label!), checked once up front: an unknown key or a bad value is a 400 naming it. Values of one key are
 * alternatives, except label and label!, which must all hold, as in Docker.
 * <p>
 * name and id match a part of the text. Docker treats them as Go (RE2, linear-time) regular expressions; Java's
 * backtracking engine could be made to spin on a crafted pattern, so berth matches the text literally. dangling
 * follows Docker: true keeps user networks no container uses, false keeps the predefined and the used ones.
 */
public record NetworkFilter(Filters filters, Boolean dangling, Instant until) implements NetworkService.Selector {

    public static NetworkFilter forList(Filters filters) {
        filters.allowOnly("dangling", "driver", "id", "label", "name", "scope", "type");
        for (String t : filters.get("type")) {
            if (!t.equals("custom") && !t.equals("builtin")) throw new InvalidArgumentException("invalid filter: 'type'='" + t + "'");
        }
        return new NetworkFilter(filters, bool(filters, "dangling"), null);
    }

    /** {@code untilParser}: the daemon's one reading of a prune's until (timestamp or duration before now). */
    public static NetworkFilter forPrune(Filters filters, Function<String, Instant> untilParser) {
        filters.allowOnly("until", "label", "label!");
        if (filters.get("until").size() > 1) throw new InvalidArgumentException("more than one until filter specified");
        Instant until = filters.has("until") ? untilParser.apply(filters.get("until").getFirst()) : null;
        return new NetworkFilter(filters, null, until);
    }

    @Override
    public boolean test(Network n, boolean inUse) {
        if (dangling != null) {
            boolean isDangling = !n.predefined() && !inUse;
            if (dangling != isDangling) return false;
        }
        if (until != null && !Instant.parse(n.created()).isBefore(until)) return false;
        if (filters.has("name") && filters.get("name").stream().noneMatch(n.name()::contains)) return false;
        if (filters.has("id") && filters.get("id").stream().noneMatch(n.id()::contains)) return false;
        if (filters.has("driver") && !filters.get("driver").contains(n.driver())) return false;
        if (filters.has("scope") && !filters.get("scope").contains("local")) return false;
        if (filters.has("type") && !filters.get("type").contains(n.type())) return false;
        if (!filters.get("label").stream().allMatch(l -> Filters.labelMatches(l, n.labels()))) return false;
        return filters.get("label!").stream().noneMatch(l -> Filters.labelMatches(l, n.labels()));
    }

    private static Boolean bool(Filters filters, String key) {
        Boolean result = null;
        for (String value : filters.get(key)) {
            boolean b = switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new InvalidArgumentException("invalid filter '" + key + "=" + value + "'");
            };
            if (result != null && result != b) throw new InvalidArgumentException("invalid filter '" + key + "': both true and false");
            result = b;
        }
        return result;
    }
}
