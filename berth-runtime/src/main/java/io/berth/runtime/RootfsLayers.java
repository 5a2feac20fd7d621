package io.berth.runtime;

import java.nio.file.Path;
import java.util.List;

/** The image's unpacked layer directories, topmost first, stacked read-only under the container's upper dir. */
public record RootfsLayers(List<Path> lowerDirs) {
    public RootfsLayers {
        lowerDirs = List.copyOf(lowerDirs);
    }
}
