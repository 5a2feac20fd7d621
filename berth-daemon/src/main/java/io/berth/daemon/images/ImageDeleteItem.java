package io.berth.daemon.images;

/** One line of an image removal's report, in Docker's order: the untagged references, then the deleted IDs. */
public sealed interface ImageDeleteItem {
    record Untagged(String reference) implements ImageDeleteItem {}

    record Deleted(String imageId) implements ImageDeleteItem {}
}
