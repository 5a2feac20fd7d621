package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class StreamFramingTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void stdoutFrameHasAnEightByteHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamFraming(out, false).write(StreamFraming.STDOUT, bytes("hello"), 0, 5);
        assertThat(out.toByteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o');
    }

    @Test
    void stderrFrameAndOffset() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamFraming(out, false).write(StreamFraming.STDERR, bytes("xxerr"), 2, 3);
        assertThat(out.toByteArray()).containsExactly(2, 0, 0, 0, 0, 0, 0, 3, 'e', 'r', 'r');
    }

    @Test
    void sizeIsBigEndianUint32() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = new byte[0x01_02_03];
        new StreamFraming(out, false).write(StreamFraming.STDOUT, data, 0, data.length);
        byte[] framed = out.toByteArray();
        assertThat(Arrays.copyOf(framed, 8)).containsExactly(1, 0, 0, 0, 0x00, 0x01, 0x02, 0x03);
        assertThat(framed).hasSize(8 + data.length);
    }

    @Test
    void sizeBytesAbove127AreUnsigned() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = new byte[200];
        new StreamFraming(out, false).write(StreamFraming.STDOUT, data, 0, data.length);
        assertThat(out.toByteArray()[7] & 0xff).isEqualTo(200);
    }

    @Test
    void rawModeWritesOnlyTheData() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamFraming framing = new StreamFraming(out, true);
        framing.write(StreamFraming.STDOUT, bytes("out"), 0, 3);
        framing.write(StreamFraming.STDERR, bytes("err"), 0, 3);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("outerr");
    }

    @Test
    void emptyWritesProduceNoFrame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamFraming(out, false).write(StreamFraming.STDOUT, new byte[0], 0, 0);
        assertThat(out.size()).isZero();
    }

    @Test
    void pumpFramesEverythingUntilTheEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamFraming(out, false).pump(StreamFraming.STDERR, new ByteArrayInputStream(bytes("line\n")));
        assertThat(out.toByteArray()).containsExactly(2, 0, 0, 0, 0, 0, 0, 5, 'l', 'i', 'n', 'e', '\n');
    }

    @Test
    void contentTypesAreDockers() {
        assertThat(StreamFraming.MULTIPLEXED).isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(StreamFraming.RAW).isEqualTo("application/vnd.docker.raw-stream");
    }
}
