package io.berth.compose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Makes the tar of a build context (the CLI's one implementation, with .dockerignore); given to compose
 * by berth-cli so that compose has no second archiver.
 */
public interface BuildContexts {
    record Context(InputStream tar, String dockerfile) {}

    /** The context directory's tar; {@code dockerfile} is relative to the context, or null for "Dockerfile". */
    Context open(Path context, String dockerfile) throws IOException;
}
