package io.berth.registry.client;

/**
 * Receives the progress of a pull or push. Called from several virtual threads at once (one per layer), so
 * implementations must be thread-safe; they should be quick, since a slow listener slows the transfer.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> {
    };

    void onProgress(ProgressEvent event);
}
