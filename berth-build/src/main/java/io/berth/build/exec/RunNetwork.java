package io.berth.build.exec;

import java.util.List;
import java.util.function.UnaryOperator;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.NetworkSpec;

/**
 * The network of a build's RUN containers, as the classic builder gives it: the build's {@code --network}
 * ("default" is the default bridge network, "none" loopback only, "host" the host's namespace), and a RUN step's
 * own {@code --network=none|default} on top (BuildKit's flag; {@code host} there needs an entitlement berth does not
 * grant, so it stays refused).
 */
final class RunNetwork {
    private RunNetwork() {}

    /** @param networkIds a network's full id from its name (the default network's, here) */
    static NetworkSpec forBuild(String mode, UnaryOperator<String> networkIds) {
        return switch (mode) {
            case "", "default", "bridge" -> new NetworkSpec("", NetworkSpec.DEFAULT_BRIDGE,
                    List.of(new NetworkSpec.Attachment(NetworkSpec.DEFAULT_BRIDGE, networkIds.apply(NetworkSpec.DEFAULT_BRIDGE),
                            List.of(), "", "", "")),
                    List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of());
            case "none" -> only(NetworkSpec.NONE);
            case "host" -> only(NetworkSpec.HOST);
            default -> throw new InvalidArgumentException("berth does not support build --network=" + mode + " yet (use default, none or host)");
        };
    }

    /** A RUN step's --network flag over the build's network: null or default keeps the build's. */
    static NetworkSpec forStep(NetworkSpec build, String flag) {
        if (flag == null || flag.equals("default")) return build;
        if (flag.equals("none")) return only(NetworkSpec.NONE).withExtraHosts(build.extraHosts());
        throw new InvalidArgumentException("berth does not support RUN --network=" + flag + " yet");
    }

    private static NetworkSpec only(String mode) {
        return new NetworkSpec("", mode, List.of(), List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of());
    }
}
