package io.berth.registry.server;

import io.berth.oci.Digest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v2/<name>/blobs/<digest>}: HEAD, GET (with a single byte Range), DELETE. */
final class BlobHandler {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final RegistryStorage storage;

    BlobHandler(RegistryStorage storage) {
        this.storage = storage;
    }

    void get(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        Digest digest = Digests.parse(request.part("digest"));
        long size = storage.blobSize(name, digest);
        request.setHeader("Docker-Content-Digest", digest.toString());
        request.setHeader("Content-Type", "application/octet-stream");
        request.setHeader("Accept-Ranges", "bytes");
        request.setHeader("ETag", "\"" + digest + "\"");
        long start = 0;
        long length = size;
        int status = 200;
        String range = request.header("Range");
        if (range != null) {
            long[] span = parseRange(range, size);
            start = span[0];
            length = span[1] - span[0] + 1;
            status = 206;
            request.setHeader("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
        }
        // Open before sending headers: a blob deleted meanwhile is still a clean 404, not a cut-off 200.
        try (FileChannel file = FileChannel.open(storage.blobFile(digest))) {
            request.startBody(status, length);
            if (request.method().equals("HEAD")) {
                return;
            }
            request.sendFile(file, start, length);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in this repository");
        }
    }

    void delete(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        storage.unlinkBlob(request.name(), Digests.parse(request.part("digest")));
        request.respond(202, Map.of());
    }

    /** First and last byte (inclusive) of a {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} range. */
    static long[] parseRange(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        long[] span = null;
        if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            try {
                if (m.group(1).isEmpty()) {
                    long suffix = Long.parseLong(m.group(2));
                    span = suffix == 0 ? null : new long[] {Math.max(0, size - suffix), size - 1};
                } else {
                    long first = Long.parseLong(m.group(1));
                    long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                    span = first > last ? null : new long[] {first, last};
                }
            } catch (NumberFormatException e) {
                span = null;
            }
        }
        if (span == null || span[0] >= size) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, 416, "range " + header + " not satisfiable",
                    Map.of("Content-Range", "bytes */" + size));
        }
        return span;
    }
}
