package io.berth.build.exec;

import io.berth.build.context.BuildContext;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.Resources;

import java.util.List;
import java.util.Map;

/**
 * One {@code POST /build} or {@code berth build}.
 *
 * @param dockerfile      path of the Dockerfile inside the context ("Dockerfile" when null or empty)
 * @param buildArgs       --build-arg values; a null value means "take it from the daemon's environment" in Docker,
 *                        here it leaves the ARG's default in place
 * @param target          the stage to build (--target), or null for the last stage
 * @param tags            -t references, "name[:tag]"
 * @param labels          --label values, added to the final image like a trailing LABEL instruction
 * @param noCache         skip cache lookups (results are still recorded)
 * @param pull            accepted for compatibility; builds never pull (base images must be in the store)
 * @param cacheFrom       images whose history may stand in for RUN/COPY/ADD steps (see {@link ImageBuilder})
 * @param network         RUN containers' network: "default" (the default bridge network), "none" or "host"
 * @param sourceDateEpoch SOURCE_DATE_EPOCH in seconds, or null (file mtimes then normalize to 0, Created is the build's time)
 * @param quiet           suppress step output; only the image ID is printed at the end
 * @param extraHosts      --add-host entries for RUN containers' /etc/hosts
 * @param runResources    RUN containers' process limits (--shm-size, --ulimit); {@link Resources#UNLIMITED} for none
 */
public record BuildRequest(BuildContext context, String dockerfile, Map<String, String> buildArgs, String target,
                           List<String> tags, Map<String, String> labels, boolean noCache, boolean pull,
                           List<String> cacheFrom, String network, Long sourceDateEpoch, boolean quiet,
                           List<NetworkSpec.HostEntry> extraHosts, Resources runResources) {
    public BuildRequest {
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        runResources = runResources == null ? Resources.UNLIMITED : runResources;
        dockerfile = dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile;
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        tags = tags == null ? List.of() : List.copyOf(tags);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        cacheFrom = cacheFrom == null ? List.of() : List.copyOf(cacheFrom);
        network = network == null || network.isEmpty() ? "default" : network;
        target = target == null || target.isEmpty() ? null : target;
    }

    /** A request with every option at its default: the Dockerfile at "Dockerfile", no tags, cache on. */
    public static BuildRequest of(BuildContext context) {
        return new BuildRequest(context, null, null, null, null, null, false, false, null, null, null, false, null, null);
    }
}
