package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

/** stdin on its way to conmon: every byte, in messages conmon reads whole, with backpressure and errors that surface. */
class AttachStdinTest {
    /** A socket that records what it was sent. */
    static final class RecordingSocket implements AttachStdin.Socket {
        final List<Integer> sizes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean ended;
        IOException failWith;

        @Override
        public synchronized void send(byte[] packet) throws IOException {
            if (failWith != null) throw failWith;
            if (ended) throw new AssertionError("sent after the end of input");
            sizes.add(packet.length);
            bytes.write(packet);
        }

        @Override
        public void endInput() {
            ended = true;
        }
    }

    @Test
    void everyByteArrivesInOrderInMessagesConmonReadsWholeThenTheEnd() throws Exception {
        byte[] data = new byte[1024 * 1024 + 7];
        new Random(1).nextBytes(data);
        AttachStdin stdin = new AttachStdin();
        RecordingSocket socket = new RecordingSocket();
        Thread feeder = Thread.ofPlatform().start(() -> stdin.feed(socket));
        stdin.write(data, 0, 100_000); // one write larger than a message
        stdin.write(data, 100_000, data.length - 100_000);
        stdin.close();
        // close returns once all of it is sent: a session ended right after it loses nothing
        assertThat(socket.ended).isTrue();
        assertThat(socket.bytes.toByteArray()).isEqualTo(data);
        feeder.join(10_000);
        assertThat(feeder.isAlive()).isFalse();
        assertThat(socket.sizes).allMatch(n -> n <= AttachStdin.PACKET);
        assertThat(socket.ended).isTrue();
    }

    @Test
    void inputWrittenBeforeTheContainerRunsWaitsForItInsteadOfGrowingWithoutBound() throws Exception {
        AttachStdin stdin = new AttachStdin();
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(2).nextBytes(data);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                stdin.write(data);
                stdin.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        // nobody feeds yet: the writer is held back, not buffered in full
        assertThatThrownBy(() -> writer.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        RecordingSocket socket = new RecordingSocket();
        Thread feeder = Thread.ofPlatform().start(() -> stdin.feed(socket));
        writer.get(10, TimeUnit.SECONDS);
        feeder.join(10_000);
        assertThat(socket.bytes.toByteArray()).isEqualTo(data);
        assertThat(socket.ended).isTrue();
    }

    @Test
    void aFailedSendIsTheWritersErrorNotDroppedInput() throws Exception {
        AttachStdin stdin = new AttachStdin();
        RecordingSocket socket = new RecordingSocket();
        socket.failWith = new IOException("send: Broken pipe");
        Thread feeder = Thread.ofPlatform().start(() -> stdin.feed(socket));
        stdin.write(new byte[10]);
        feeder.join(10_000);
        assertThat(feeder.isAlive()).isFalse();
        assertThatThrownBy(() -> stdin.write(new byte[10])).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
        assertThat(socket.ended).isFalse();
    }

    @Test
    void aWriterHeldBackIsReleasedWithTheReasonWhenTheSessionEnds() throws Exception {
        AttachStdin stdin = new AttachStdin();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                stdin.write(new byte[1024 * 1024]);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        assertThatThrownBy(() -> writer.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        stdin.fail(new IOException("container abc did not start"));
        assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("container abc did not start");
        // a feeder started afterwards sends nothing and does not end the input
        RecordingSocket socket = new RecordingSocket();
        stdin.feed(socket);
        assertThat(socket.sizes).isEmpty();
        assertThat(socket.ended).isFalse();
    }
}
