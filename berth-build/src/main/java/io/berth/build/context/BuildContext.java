package io.berth.build.context;

import io.berth.oci.Digest;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** The files a build may read. */
public final class BuildContext implements AutoCloseable {
    public static BuildContext fromDirectory(Path dir) {
        throw new UnsupportedOperationException();
    }

    public static BuildContext fromTar(InputStream tar, Path scratchDir) {
        throw new UnsupportedOperationException();
    }

    public Path root() {
        throw new UnsupportedOperationException();
    }

    public String readDockerfile(String path) {
        throw new UnsupportedOperationException();
    }

    public List<ContextFile> resolve(List<String> sources) {
        throw new UnsupportedOperationException();
    }

    public Digest contentDigest(List<ContextFile> files) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
