package io.berth.build.exec;

import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.runtime.ContainerService;
import io.berth.store.StoreServices;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What every stage of one build shares.
 *
 * @param created        the timestamp written into configs and history (SOURCE_DATE_EPOCH or the build's time)
 * @param mtime          the mtime of every layer tar entry (same instant)
 * @param globalArgs     ARGs declared before the first FROM, with --build-arg applied (name -> value or null)
 * @param consumedArgs   --build-arg names some ARG declared (for Docker's "not consumed" warning)
 * @param stageResult    the finished state of an earlier stage by name or index, waiting for it if needed;
 *                       null when no stage has that name
 * @param cacheFrom      --cache-from images (config and manifest)
 * @param emptyLowerDir  an empty directory standing in for the rootfs of FROM scratch in RUN containers
 */
record BuildSession(StoreServices store, ContainerService containers, StateCommitter committer, BuildCache cache,
                    BuildRequest request, String created, Instant mtime, char escape,
                    Map<String, String> globalArgs, Set<String> consumedArgs, Function<String, BuildState> stageResult,
                    List<CacheFromImage> cacheFrom, Path emptyLowerDir, BaseImagePuller puller,
                    io.berth.runtime.NetworkSpec runNetwork) {

    record CacheFromImage(ImageConfig config, ImageManifest manifest) {
    }
}
