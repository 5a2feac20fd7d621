package io.berth.registry.server;

import io.berth.oci.Digest;

import java.nio.file.Path;

/**
 * Where the registry keeps everything under its root directory:
 * <pre>
 * &lt;root&gt;/
 * ├── blobs/                                  the content store (io.berth.store.ContentStore), shared format
 * │   ├── sha256/&lt;hex&gt;                          layers, configs and manifests, by digest; read-only
 * │   └── sha512/&lt;hex&gt;
 * ├── uploads/
 * │   └── &lt;uuid&gt;/                              one upload session
 * │       ├── repository                      the repository it was started in
 * │       └── data                            bytes received so far; renamed to blobs/ once verified
 * └── repositories/
 *     └── &lt;name&gt;/...                          one directory level per path component of the name
 *         ├── _links/&lt;alg&gt;/&lt;hex&gt;               empty file: the blob belongs to this repository
 *         ├── _manifests/revisions/&lt;alg&gt;/&lt;hex&gt; the manifest's media type; its bytes are blobs/&lt;alg&gt;/&lt;hex&gt;
 *         ├── _manifests/tags/&lt;tag&gt;            the digest the tag points at
 *         └── _referrers/&lt;alg&gt;/&lt;subject-hex&gt;/&lt;alg&gt;-&lt;hex&gt;   empty: that manifest's subject is the digest
 * </pre>
 * Every file is written by temp + fsync + rename, in the order blob → link → tag, so after {@code kill -9} a
 * reader finds each blob, manifest and tag whole or absent, and never a tag pointing at a missing manifest.
 * Repository components always start with a letter or digit, so they cannot clash with the {@code _} names.
 */
record RegistryLayout(Path root) {
    Path blobsDir() {
        return root.resolve("blobs");
    }

    Path blob(Digest digest) {
        return blobsDir().resolve(digest.algorithm()).resolve(digest.hex());
    }

    Path uploadsDir() {
        return root.resolve("uploads");
    }

    Path upload(String uuid) {
        return uploadsDir().resolve(uuid);
    }

    Path repositoriesDir() {
        return root.resolve("repositories");
    }

    Path repository(RepositoryName name) {
        return repositoriesDir().resolve(name.value());
    }

    Path blobLink(RepositoryName name, Digest digest) {
        return repository(name).resolve("_links").resolve(digest.algorithm()).resolve(digest.hex());
    }

    Path revisionsDir(RepositoryName name) {
        return repository(name).resolve("_manifests").resolve("revisions");
    }

    Path revision(RepositoryName name, Digest digest) {
        return revisionsDir(name).resolve(digest.algorithm()).resolve(digest.hex());
    }

    Path tagsDir(RepositoryName name) {
        return repository(name).resolve("_manifests").resolve("tags");
    }

    Path tag(RepositoryName name, Tag tag) {
        return tagsDir(name).resolve(tag.value());
    }

    Path referrersDir(RepositoryName name, Digest subject) {
        return repository(name).resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex());
    }

    Path referrer(RepositoryName name, Digest subject, Digest referrer) {
        return referrersDir(name, subject).resolve(referrer.algorithm() + "-" + referrer.hex());
    }
}
