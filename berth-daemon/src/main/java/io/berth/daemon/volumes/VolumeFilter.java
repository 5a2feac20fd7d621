package io.berth.daemon.volumes;

import java.util.Locale;

import io.berth.daemon.api.Filters;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.volumes.Volume;

/**
 * The `filters` of GET /volumes (dangling, name, driver, label) and POST /volumes/prune (label, label!, all),
 * checked once up front: an unknown key or a dangling/all value that is not a boolean is a 400 naming it.
 * Values of one key are alternatives for name and driver, and all must hold for label and label!, as in Docker.
 * <p>
 * name matches a part of the name. Docker treats it as a Go (RE2, linear-time) regular expression; Java's
 * backtracking engine could be made to spin on a crafted pattern, so berth matches the text literally.
 */
public record VolumeFilter(Filters filters, Boolean dangling, boolean all) {

    public static VolumeFilter forList(Filters filters) {
        filters.allowOnly("dangling", "name", "driver", "label");
        return new VolumeFilter(filters, bool(filters, "dangling"), true);
    }

    /**
     * {@code allByDefault}: API versions before 1.42 pruned every unused volume; since then only anonymous ones,
     * unless all=true.
     */
    public static VolumeFilter forPrune(Filters filters, boolean allByDefault) {
        filters.allowOnly("label", "label!", "all");
        Boolean all = bool(filters, "all");
        return new VolumeFilter(filters, Boolean.TRUE, all == null ? allByDefault : all);
    }

    /** Whether {@code v}, used by containers or not ({@code inUse}), passes. */
    public boolean test(Volume v, boolean inUse) {
        if (dangling != null && dangling == inUse) return false;
        if (!all && !v.anonymous()) return false;
        if (filters.has("name") && filters.get("name").stream().noneMatch(v.name()::contains)) return false;
        if (filters.has("driver") && !filters.get("driver").contains(v.driver())) return false;
        if (!filters.get("label").stream().allMatch(l -> Filters.labelMatches(l, v.labels()))) return false;
        return filters.get("label!").stream().noneMatch(l -> Filters.labelMatches(l, v.labels()));
    }

    private static Boolean bool(Filters filters, String key) {
        Boolean result = null;
        for (String value : filters.get(key)) {
            boolean b = switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new InvalidArgumentException("invalid filter '" + key + "=" + value + "'");
            };
            if (result != null && result != b) {
                throw new InvalidArgumentException("invalid filter '" + key + "': both true and false");
            }
            result = b;
        }
        return result;
    }
}
