package io.berth.build.exec;

import io.berth.oci.Digest;

import java.util.List;

/** The built image's ID (its config digest) and the familiar tags that now point at it. */
public record BuildResult(Digest imageId, List<String> tags) {
    public BuildResult {
        tags = List.copyOf(tags);
    }
}
