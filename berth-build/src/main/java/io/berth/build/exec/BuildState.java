package io.berth.build.exec;

import io.berth.oci.ContainerConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.Platform;
import io.berth.oci.RootFs;

import java.util.List;

/**
 * The image a stage has produced so far: its config, its layer blobs and the digests of the config and
 * manifest blobs that record it in the content store. The config digest names the state: it is the image ID
 * when the state is the result, and the parent part of the next step's cache key.
 */
record BuildState(ImageConfig config, List<Descriptor> layers, Digest configDigest, Digest manifestDigest) {
    BuildState {
        layers = List.copyOf(layers);
    }

    /** FROM scratch: no layers, an empty config for the host platform. */
    static ImageConfig scratchConfig() {
        Platform host = Platform.host();
        return new ImageConfig(host.architecture(), host.os(), null, null, null, ContainerConfig.empty(),
                RootFs.layers(List.of()), List.of());
    }

    ContainerConfig runConfig() {
        return config.config() == null ? ContainerConfig.empty() : config.config();
    }
}
