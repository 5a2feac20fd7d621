package io.berth.registry.client;

import io.berth.oci.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkedUploadStreamTest {
    private static final int CHUNK = 1000;

    /** A registry session in memory: keeps what it receives, moves the location on with each PATCH. */
    private static class Recording implements ChunkedUploadStream.Session {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<String> requests = new CopyOnWriteArrayList<>();
        Digest putDigest;

        @Override
        public synchronized URI patch(URI location, long offset, byte[] bytes, int length) throws IOException {
            assertThat(offset).isEqualTo(received.size());
            requests.add("PATCH " + location.getPath() + " " + offset + "-" + (offset + length - 1));
            received.write(bytes, 0, length);
            return URI.create("http://r/upload/" + requests.size());
        }

        @Override
        public synchronized void put(URI location, Digest digest, long offset, byte[] bytes, int length) {
            assertThat(offset).isEqualTo(received.size());
            requests.add("PUT " + location.getPath() + " " + length);
            received.write(bytes, 0, length);
            putDigest = digest;
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void fullChunksArePatchedInOrderAndTheRestGoesWithThePutAndItsDigest() throws Exception {
        Recording session = new Recording();
        byte[] blob = random(3 * CHUNK + 250);
        ChunkedUploadStream.Uploaded uploaded;
        try (ChunkedUploadStream out = new ChunkedUploadStream(session, URI.create("http://r/upload/0"), CHUNK)) {
            for (int i = 0; i < blob.length; i += 77) out.write(blob, i, Math.min(77, blob.length - i));
            uploaded = out.finish();
        }
        assertThat(session.requests).containsExactly("PATCH /upload/0 0-999", "PATCH /upload/1 1000-1999",
                "PATCH /upload/2 2000-2999", "PUT /upload/3 250");
        assertThat(session.received.toByteArray()).isEqualTo(blob);
        assertThat(uploaded).isEqualTo(new ChunkedUploadStream.Uploaded(Digest.sha256(blob), blob.length));
        assertThat(session.putDigest).isEqualTo(Digest.sha256(blob));
    }

    @Test
    void aBlobOfLessThanOneChunkIsOnePut() throws Exception {
        Recording session = new Recording();
        try (ChunkedUploadStream out = new ChunkedUploadStream(session, URI.create("http://r/upload/0"), CHUNK)) {
            out.write(random(10));
            out.finish();
        }
        assertThat(session.requests).containsExactly("PUT /upload/0 10");
    }

    @Test
    void theUploadStartsBeforeTheWriterEndsAndTheWriterNeverGetsMoreThanTwoChunksAhead() throws Exception {
        CountDownLatch firstPatchSeen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recording session = new Recording() {
            @Override
            public URI patch(URI location, long offset, byte[] bytes, int length) throws IOException {
                firstPatchSeen.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return super.patch(location, offset, bytes, length);
            }
        };
        byte[] blob = random(50 * CHUNK);
        AtomicLong written = new AtomicLong();
        ChunkedUploadStream out = new ChunkedUploadStream(session, URI.create("http://r/upload/0"), CHUNK);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < blob.length; i += 100) {
                    out.write(blob, i, 100);
                    written.addAndGet(100);
                }
                out.finish();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        // the first chunk is on its way while the writer has 49 more to write
        assertThat(firstPatchSeen.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        // one chunk going up, one full and waiting: the writer is held at two chunks
        assertThat(written.get()).isLessThanOrEqualTo(2L * CHUNK);
        assertThat(writer.isAlive()).isTrue();
        release.countDown();
        writer.join(10_000);
        assertThat(session.received.toByteArray()).isEqualTo(blob);
    }

    @Test
    void aFailedPatchFailsTheWriterWithItsCauseAndLeavesTheLastLocationToCancel() throws Exception {
        Recording session = new Recording() {
            @Override
            public URI patch(URI location, long offset, byte[] bytes, int length) throws IOException {
                if (offset >= 2 * CHUNK) throw new IOException("registry said 500: disk full");
                return super.patch(location, offset, bytes, length);
            }
        };
        ChunkedUploadStream out = new ChunkedUploadStream(session, URI.create("http://r/upload/0"), CHUNK);
        byte[] blob = random(20 * CHUNK);
        assertThatThrownBy(() -> {
            for (int i = 0; i < blob.length; i += 100) out.write(blob, i, 100);
            out.finish();
        }).isInstanceOf(IOException.class).hasMessageContaining("disk full");
        out.close();
        assertThat(out.location()).isEqualTo(URI.create("http://r/upload/2"));
        assertThat(session.requests).noneMatch(r -> r.startsWith("PUT"));
    }
}
