package io.berth.registry.client;

import io.berth.oci.Digest;

import java.util.List;

/**
 * What a push did; the daemon reports {@code tag}, {@code manifestDigest} and {@code size} as Docker's
 * {@code aux} message.
 *
 * @param tag            the tag pushed
 * @param manifestDigest digest of the manifest, byte for byte the one in the content store
 * @param size           the manifest's size in bytes
 * @param uploaded       blobs whose bytes went over the network
 * @param mounted        blobs mounted from another repository of the same registry
 * @param existing       blobs the registry already had
 */
public record PushResult(String tag, Digest manifestDigest, long size, List<Digest> uploaded, List<Digest> mounted,
                         List<Digest> existing) {
    public PushResult {
        uploaded = List.copyOf(uploaded);
        mounted = List.copyOf(mounted);
        existing = List.copyOf(existing);
    }
}
