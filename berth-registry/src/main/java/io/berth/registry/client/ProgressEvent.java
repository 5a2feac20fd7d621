package io.berth.registry.client;

/**
 * One progress message of a pull or push, shaped like a line of Docker's JSON progress stream: the daemon
 * writes {@code {"status":..., "id":..., "progressDetail":{"current":..., "total":...}}} from it.
 *
 * @param id      the short layer digest, the tag ("latest: Pulling from ..."), or null for image-wide messages
 * @param status  Docker's wording, e.g. "Downloading", "Pull complete", "Digest: sha256:..."
 * @param current bytes done, or -1 when the message carries no byte count
 * @param total   bytes in all, or -1
 */
public record ProgressEvent(String id, String status, long current, long total) {
    public static ProgressEvent message(String status) {
        return new ProgressEvent(null, status, -1, -1);
    }

    public static ProgressEvent of(String id, String status) {
        return new ProgressEvent(id, status, -1, -1);
    }

    public static ProgressEvent bytes(String id, String status, long current, long total) {
        return new ProgressEvent(id, status, current, total);
    }

    public boolean hasBytes() {
        return current >= 0;
    }
}
