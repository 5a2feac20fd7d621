package io.berth.store.volumes;

import java.util.Map;
import java.util.TreeMap;

/**
 * One volume's metadata document (volume.json): what `docker volume inspect` reports besides the mountpoint,
 * which follows from the data root. {@code createdAt} is RFC 3339 in UTC, seconds precision, as Docker prints it.
 */
public record Volume(String name, String driver, Map<String, String> labels, Map<String, String> options,
                     String createdAt) {
    /** The label Docker puts on a volume created without a name; prune without all=true removes only these. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }
}
