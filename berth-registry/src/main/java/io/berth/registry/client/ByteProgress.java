package io.berth.registry.client;

/**
 * Turns a byte count into "Downloading"/"Pushing" events, at most about a hundred per blob and none for less
 * than 256 KiB of progress, so that a fast transfer does not drown the client in JSON lines.
 */
final class ByteProgress {
    private static final long MIN_STEP = 256 * 1024;

    private final ProgressListener listener;
    private final String id;
    private final String status;
    private final long total;
    private final long step;
    private long current;
    private long reported;

    ByteProgress(ProgressListener listener, String id, String status, long start, long total) {
        this.listener = listener;
        this.id = id;
        this.status = status;
        this.total = total;
        this.step = Math.max(MIN_STEP, total / 100);
        this.current = start;
        this.reported = start;
    }

    void advance(long bytes) {
        current += bytes;
        if (current - reported >= step || (current >= total && reported < total)) {
            reported = current;
            listener.onProgress(ProgressEvent.bytes(id, status, current, total));
        }
    }
}
