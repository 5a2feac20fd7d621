package io.berth.registry.client;

import io.berth.oci.Digest;
import io.berth.store.ImageRecord;

import java.util.List;

/**
 * What a pull did.
 *
 * @param image            the pulled image as the store now knows it (tags and repo digests included)
 * @param digest           the digest the registry names the image by: the index's if the reference was an
 *                         index, else the manifest's (Docker's "Digest: sha256:..." line and RepoDigests entry)
 * @param manifestDigest   the single-platform manifest stored with the image
 * @param downloadedBlobs  blobs fetched over the network (config and layers), in no particular order
 * @param newerImage       false when the image was already in the store and nothing had to be downloaded
 */
public record PullResult(ImageRecord image, Digest digest, Digest manifestDigest, List<Digest> downloadedBlobs,
                         boolean newerImage) {
    public PullResult {
        downloadedBlobs = List.copyOf(downloadedBlobs);
    }
}
