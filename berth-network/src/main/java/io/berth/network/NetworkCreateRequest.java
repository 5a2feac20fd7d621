package io.berth.network;

import java.util.List;
import java.util.Map;

/**
 * POST /networks/create, decoded (the route has refused fields berth does not know). Nulls mean "not given".
 *
 * @param ipamConfigs the IPAM Config entries as given: each a subnet, optional ip-range and gateway
 */
public record NetworkCreateRequest(String name, String driver, boolean internal, boolean attachable,
                                   boolean enableIPv6, String ipamDriver, Map<String, String> ipamOptions,
                                   List<IpamConfig> ipamConfigs, Map<String, String> options,
                                   Map<String, String> labels) {
    public NetworkCreateRequest {
        ipamOptions = ipamOptions == null ? Map.of() : Map.copyOf(ipamOptions);
        ipamConfigs = ipamConfigs == null ? List.of() : List.copyOf(ipamConfigs);
        options = options == null ? Map.of() : Map.copyOf(options);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A bridge network with defaults for everything. */
    public static NetworkCreateRequest named(String name) {
        return new NetworkCreateRequest(name, null, false, false, false, null, null, null, null, null);
    }
}
