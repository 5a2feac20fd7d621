package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.runtime.LogEntry;

/** A log replay's framing: records of one stream merged into frames, several frames per write. */
class LogFramesTest {
    @Test
    void recordsOfOneStreamMergeIntoAFrameAndAnotherStreamStartsOne() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogFrames frames = new LogFrames(Channels.newChannel(out), false, true, true);
        frames.append(StreamFraming.STDOUT, segment("xa\n"), 1, 2);
        frames.append(StreamFraming.STDOUT, bytes("b\n"), 0, 2);
        frames.append(StreamFraming.STDERR, segment("e\n"), 0, 2);
        assertThat(out.size()).isZero(); // nothing is written before a flush or a full buffer
        frames.flush();
        assertThat(out.toByteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 4, 'a', '\n', 'b', '\n', 2, 0, 0, 0, 0, 0, 0, 2, 'e', '\n');
    }

    @Test
    void framesStayUnder64KiBAndAFullBufferIsOneWriteOfWholeFrames() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        WritableByteChannel out = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer b) {
                writes.add(b.remaining());
                int n = b.remaining();
                while (b.hasRemaining()) all.write(b.get());
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        LogFrames frames = new LogFrames(out, false, true, true);
        byte[] line = "y".repeat(99).concat("\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 20_000; i++) frames.append(StreamFraming.STDOUT, line, 0, line.length); // 2 MB
        frames.flush();
        assertThat(writes.size()).isBetween(4, 6);
        byte[] b = all.toByteArray();
        long data = 0;
        for (int at = 0; at < b.length; ) {
            assertThat(b[at]).isEqualTo((byte) 1);
            int size = ((b[at + 4] & 0xff) << 24) | ((b[at + 5] & 0xff) << 16) | ((b[at + 6] & 0xff) << 8) | (b[at + 7] & 0xff);
            assertThat(size).isBetween(1, 64 * 1024);
            data += size;
            at += 8 + size;
        }
        assertThat(data).isEqualTo(2_000_000);
    }

    @Test
    void aTerminalsStreamHasNoHeaders() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogFrames frames = new LogFrames(Channels.newChannel(out), true, true, true);
        frames.append(StreamFraming.STDOUT, bytes("one\n"), 0, 4);
        frames.append(StreamFraming.STDOUT, bytes("two\n"), 0, 4);
        frames.flush();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\n");
    }

    @Test
    void runsCopiedIntoTheBufferBecomeFramesAndAnEmptyRunNone() throws IOException {
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogFrames frames = new LogFrames(Channels.newChannel(out), raw, true, true)) {
                run(frames, LogEntry.Stream.STDOUT, "a\n");
                run(frames, LogEntry.Stream.STDOUT, "b\n"); // continues the open frame
                run(frames, LogEntry.Stream.STDERR, ""); // a run that took nothing
                run(frames, LogEntry.Stream.STDERR, "e\n");
                assertThat(frames.accept(LogEntry.Stream.STDERR, 0, segment("f\n"), 0, 2, false)).isTrue();
                frames.flush();
            }
            if (raw) {
                assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("a\nb\ne\nf\n");
            } else {
                assertThat(out.toByteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 4, 'a', '\n', 'b', '\n',
                        2, 0, 0, 0, 0, 0, 0, 4, 'e', '\n', 'f', '\n');
            }
        }
    }

    @Test
    void aStreamNotAskedForIsNotWanted() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogFrames frames = new LogFrames(Channels.newChannel(out), false, false, true)) {
            assertThat(frames.wants(LogEntry.Stream.STDOUT)).isFalse();
            assertThat(frames.accept(LogEntry.Stream.STDOUT, 0, segment("o\n"), 0, 2, false)).isTrue();
            frames.flush();
        }
        assertThat(out.size()).isZero();
    }

    /** What the log reader's copier does: data copied at the offset begin gives, then the run ended after it. */
    private static void run(LogFrames frames, LogEntry.Stream stream, String data) {
        long at = frames.begin(stream);
        assertThat(frames.limit() - at).isGreaterThanOrEqualTo(data.length());
        MemorySegment.copy(segment(data), 0, frames.buffer(), at, data.length());
        frames.end(at + data.length());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static MemorySegment segment(String s) {
        return MemorySegment.ofArray(bytes(s));
    }
}
