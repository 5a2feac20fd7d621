package io.berth.build.context;

/** .dockerignore rules. */
public final class DockerIgnore {
    public static DockerIgnore parse(String text) {
        throw new UnsupportedOperationException();
    }

    public boolean excluded(String relativePath) {
        throw new UnsupportedOperationException();
    }

    public boolean mayIncludeBelow(String dir) {
        throw new UnsupportedOperationException();
    }
}
