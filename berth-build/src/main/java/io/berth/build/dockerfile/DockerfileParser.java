package io.berth.build.dockerfile;

/** Parses Dockerfile text into {@link Dockerfile}. */
public final class DockerfileParser {
    private DockerfileParser() {
    }

    public static Dockerfile parse(String fileName, String text) {
        throw new UnsupportedOperationException();
    }
}
