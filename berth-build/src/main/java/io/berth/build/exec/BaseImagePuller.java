package io.berth.build.exec;

import java.util.function.Consumer;

import io.berth.oci.errors.NotFoundException;
import io.berth.store.ImageRecord;

/**
 * Fetches a base image the store lacks (FROM x, COPY --from=x), or every base image with --pull; berthd
 * pulls it from its registry. Progress lines go to {@code output} as build output.
 */
@FunctionalInterface
public interface BaseImagePuller {
    ImageRecord pull(String reference, Consumer<String> output);

    /** No registry: a missing base image is an error naming what to do. */
    BaseImagePuller NONE = (reference, output) -> {
        throw new NotFoundException("FROM " + reference + ": image not found in the local store and no registry "
                + "client is configured; pull, load or import the image first");
    };
}
