package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class WebSocketStreamTest {
    private static final byte[] KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** A client's frame: masked with {@link #KEY}, the length in the shortest form unless {@code longForm}. */
    private static byte[] clientFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n <= 125) {
            f.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) n >>> (8 * i)));
        }
        f.writeBytes(KEY);
        for (int i = 0; i < n; i++) f.write(payload[i] ^ KEY[i & 3]);
        return f.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Wire(WebSocketStream ws, ByteArrayOutputStream sent) {}

    private static Wire wire(byte[] fromClient) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        return new Wire(new WebSocketStream(new ByteArrayInputStream(fromClient), sent, WebSocketStream.Payload.BINARY), sent);
    }

    /** The server's frames as {opcode, payload} pairs, checking each is unmasked and final. */
    private static java.util.List<Object[]> frames(byte[] wire) {
        java.util.List<Object[]> frames = new java.util.ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int b0 = wire[at++] & 0xFF;
            int b1 = wire[at++] & 0xFF;
            assertThat(b0 & 0x80).as("FIN").isNotZero();
            assertThat(b1 & 0x80).as("server frames are not masked").isZero();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (wire[at++] & 0xFF) << 8 | wire[at++] & 0xFF;
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = len << 8 | wire[at++] & 0xFF;
            }
            frames.add(new Object[] {b0 & 0x0F, Arrays.copyOfRange(wire, at, at + (int) len)});
            at += (int) len;
        }
        return frames;
    }

    @Test
    void unmasksDataFramesAndJoinsFragmentsUntilTheClientCloses() throws Exception {
        byte[] closeBody = {0x03, (byte) 0xE8}; // 1000
        Wire w = wire(concat(clientFrame(true, 2, utf8("hello ")),
                clientFrame(false, 1, utf8("frag")), clientFrame(false, 0, utf8("ment")), clientFrame(true, 0, utf8("ed\n")),
                clientFrame(true, 2, new byte[0]),
                clientFrame(true, 8, closeBody),
                clientFrame(true, 2, utf8("after close is never read"))));
        assertThat(new String(w.ws().input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello fragmented\n");
        assertThat(w.ws().closeReceived()).isTrue();
        assertThat(w.ws().awaitInputEnd(Duration.ZERO)).isTrue();
        var frames = frames(w.sent().toByteArray());
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()[0]).as("close echoed").isEqualTo(8);
        assertThat((byte[]) frames.getFirst()[1]).isEqualTo(closeBody);
        // after the close nothing more is sent
        assertThatThrownBy(() -> w.ws().output().write(utf8("late"))).isInstanceOf(IOException.class);
    }

    @Test
    void aPingIsAnsweredWithItsPayloadAndAPongIsIgnored() throws Exception {
        Wire w = wire(concat(clientFrame(true, 2, utf8("a")), clientFrame(true, 9, utf8("are you there")),
                clientFrame(true, 10, utf8("unasked")), clientFrame(true, 2, utf8("b"))));
        assertThat(new String(w.ws().input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ab");
        assertThat(w.ws().closeReceived()).as("the connection ended without a close").isFalse();
        var frames = frames(w.sent().toByteArray());
        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()[0]).isEqualTo(10);
        assertThat(new String((byte[]) frames.getFirst()[1], StandardCharsets.UTF_8)).isEqualTo("are you there");
    }

    @Test
    void aControlFrameBetweenFragmentsIsAnsweredAndTheMessageGoesOn() throws Exception {
        Wire w = wire(concat(clientFrame(false, 2, utf8("one ")), clientFrame(true, 9, new byte[0]),
                clientFrame(true, 0, utf8("two"))));
        assertThat(new String(w.ws().input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one two");
        assertThat(frames(w.sent().toByteArray()).getFirst()[0]).isEqualTo(10);
    }

    @Test
    void largeFramesOfEveryLengthFormPassWhole() throws Exception {
        byte[] mid = new byte[70_000 - 5000];
        byte[] big = new byte[70_000];
        new Random(1).nextBytes(mid);
        new Random(2).nextBytes(big);
        Wire w = wire(concat(clientFrame(true, 2, mid), clientFrame(true, 2, big)));
        assertThat(w.ws().input().readAllBytes()).isEqualTo(concat(mid, big));
    }

    @Test
    void eachWriteIsOneFrameOfTheChosenTypeWithTheShortestLength() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        WebSocketStream text = new WebSocketStream(InputStream.nullInputStream(), sent, WebSocketStream.Payload.TEXT);
        text.output().write(utf8("hi"));
        text.output().write(new byte[300]);
        text.output().write(new byte[70_000]);
        text.output().write(new byte[0]);
        text.close(WebSocketStream.NORMAL_CLOSURE);
        text.close(WebSocketStream.NORMAL_CLOSURE);
        byte[] wire = sent.toByteArray();
        assertThat(Arrays.copyOf(wire, 4)).isEqualTo(new byte[] {(byte) 0x81, 2, 'h', 'i'});
        var frames = frames(wire);
        assertThat(frames).extracting(f -> f[0]).containsExactly(1, 1, 1, 8);
        assertThat(frames).extracting(f -> ((byte[]) f[1]).length).containsExactly(2, 300, 70_000, 2);
        assertThat(wire[5]).as("300 bytes take the 16-bit length").isEqualTo((byte) 126);
    }

    /** Each fault answers close 1002 and fails the input for good. */
    private static void assertRefused(byte[] fromClient, String why) throws Exception {
        Wire w = wire(fromClient);
        InputStream in = w.ws().input();
        assertThatThrownBy(in::readAllBytes).isInstanceOf(WebSocketStream.ProtocolError.class).hasMessageContaining(why);
        assertThatThrownBy(in::read).isInstanceOf(WebSocketStream.ProtocolError.class);
        assertThat(w.ws().awaitInputEnd(Duration.ZERO)).isTrue();
        var frames = frames(w.sent().toByteArray());
        assertThat(frames.getLast()[0]).isEqualTo(8);
        byte[] body = (byte[]) frames.getLast()[1];
        assertThat((body[0] & 0xFF) << 8 | body[1] & 0xFF).isEqualTo(1002);
        assertThat(new String(body, 2, body.length - 2, StandardCharsets.UTF_8)).contains(why);
    }

    @Test
    void refusesWhatAClientMayNotSend() throws Exception {
        byte[] unmasked = {(byte) 0x82, 1, 'x'};
        assertRefused(unmasked, "must be masked");
        byte[] rsv = clientFrame(true, 2, utf8("x"));
        rsv[0] |= 0x40;
        assertRefused(rsv, "reserved bits");
        assertRefused(clientFrame(true, 0, utf8("x")), "continuation frame outside");
        assertRefused(concat(clientFrame(false, 2, utf8("x")), clientFrame(true, 2, utf8("y"))), "new message inside");
        assertRefused(clientFrame(false, 9, new byte[0]), "fragmented control frame");
        assertRefused(clientFrame(true, 9, new byte[126]), "longer than 125");
        assertRefused(clientFrame(true, 3, new byte[0]), "unknown opcode 3");
        assertRefused(clientFrame(true, 8, new byte[] {3}), "one-byte body");
        assertRefused(clientFrame(true, 8, new byte[] {0x03, (byte) 0xED}), "close code 1005");
    }

    /**
     * A frame may announce up to 2^63 - 1 bytes: nothing is allocated for it, its payload streams through as it
     * comes, and a connection that ends inside it is an error, not a short message.
     */
    @Test
    void aHugeAnnouncedLengthAllocatesNothingAndStreams() throws Exception {
        byte[] head = {(byte) 0x82, (byte) (0x80 | 127), 0x7F, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0};
        byte[] tooLong = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertRefused(tooLong, "over 2^63");
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(new byte[10_000]));
        WebSocketStream ws = new WebSocketStream(in, new ByteArrayOutputStream(), WebSocketStream.Payload.BINARY);
        byte[] buf = new byte[4096];
        long got = 0;
        IOException end = null;
        try {
            for (int n; (n = ws.input().read(buf)) >= 0; ) got += n;
        } catch (IOException e) {
            end = e;
        }
        assertThat(got).isEqualTo(10_000);
        assertThat(end).isInstanceOf(java.io.EOFException.class).hasMessageContaining("inside a WebSocket frame");
    }

    @Test
    void closeCodesThatMayBeSent() {
        assertThat(WebSocketStream.sendable(1000)).isTrue();
        assertThat(WebSocketStream.sendable(1011)).isTrue();
        assertThat(WebSocketStream.sendable(4000)).isTrue();
        assertThat(WebSocketStream.sendable(999)).isFalse();
        assertThat(WebSocketStream.sendable(1006)).isFalse();
        assertThat(WebSocketStream.sendable(1015)).isFalse();
        assertThat(WebSocketStream.sendable(5000)).isFalse();
    }
}
