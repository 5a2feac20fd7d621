package io.berth.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's end of a WebSocket connection (RFC 6455) after the handshake, as two byte streams: {@link #input()}
 * is the payload of the client's data frames, {@link #output()} sends each write as one frame.
 *
 * <pre>
 * frame:  FIN RSV1-3 opcode(4) | MASK len(7) [len: 16 bits if 126, 64 bits if 127] [masking key: 4 bytes] payload
 * opcodes: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong
 * </pre>
 *
 * <p>What the client sends is untrusted: every frame must be masked (a client's always are), no RSV bit may be set
 * (no extension is negotiated), a continuation comes only inside a fragmented message and a new message never does.
 * A data frame's payload is streamed through as it arrives, never gathered, so the length a frame announces (up to
 * 2^63 - 1) costs no memory; control frames are at most 125 bytes, read whole. A violation answers close 1002 and
 * fails the input with {@link ProtocolError}.
 *
 * <p>Control frames are answered while the input is read: ping with a pong of its payload, close with a close that
 * echoes its code, after which the input ends. Text and binary payloads alike are passed on as bytes (a terminal's
 * input need not be UTF-8), as Go's x/net/websocket, which dockerd uses, does.
 */
public final class WebSocketStream {
    /** The kind of data frame {@link #output()} sends. */
    public enum Payload {
        TEXT(1), BINARY(2);

        final int opcode;

        Payload(int opcode) {
            this.opcode = opcode;
        }
    }

    public static final int NORMAL_CLOSURE = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int CONTINUATION = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    /** A client broke the protocol; a close 1002 naming the fault has been sent. */
    public static final class ProtocolError extends IOException {
        ProtocolError(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final Payload payload;
    private final Input input = new Input();
    private final Output output = new Output();
    /** Guards {@link #out}: output, pongs and closes come from different threads. */
    private final Object writeLock = new Object();
    private boolean closeSent;
    /** Counted down when the input has ended: a close received, the connection's end, or a protocol error. */
    private final CountDownLatch inputEnded = new CountDownLatch(1);
    private volatile boolean closeReceived;

    /**
     * @param in  the connection's bytes after the handshake
     * @param out where frames go; flushed after each control frame and on {@link OutputStream#flush()}
     */
    public WebSocketStream(InputStream in, OutputStream out, Payload payload) {
        this.in = in;
        this.out = out;
        this.payload = payload;
    }

    /**
     * The payloads of the client's text and binary messages, in order, fragments joined. Ends (-1) when the client
     * sends close or the connection ends between frames. One reader at a time; others wait for it.
     */
    public InputStream input() {
        return input;
    }

    /** Each write is one unfragmented frame of the chosen {@link Payload}; writes after a close fail. */
    public OutputStream output() {
        return output;
    }

    /** Whether the client has sent its close frame. */
    public boolean closeReceived() {
        return closeReceived;
    }

    /** Waits until the input has ended (a close received, the connection ended, a protocol error); false on timeout. */
    public boolean awaitInputEnd(Duration timeout) throws InterruptedException {
        return inputEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends a close frame with {@code code} (once; later calls and a close already echoed do nothing). */
    public void close(int code) throws IOException {
        sendClose(code, "");
    }

    private void sendClose(int code, String reason) throws IOException {
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[2 + Math.min(why.length, MAX_CONTROL_PAYLOAD - 2)];
        body[0] = (byte) (code >>> 8);
        body[1] = (byte) code;
        System.arraycopy(why, 0, body, 2, body.length - 2);
        synchronized (writeLock) {
            if (closeSent) return;
            writeFrame(CLOSE, body, 0, body.length);
            closeSent = true;
            out.flush();
        }
    }

    private void send(int opcode, byte[] data, int off, int len, boolean flush) throws IOException {
        synchronized (writeLock) {
            if (closeSent) throw new IOException("the WebSocket is closed");
            writeFrame(opcode, data, off, len);
            if (flush) out.flush();
        }
    }

    /** One unmasked frame with FIN set: a server never masks, and berthd never fragments what it sends. */
    private void writeFrame(int opcode, byte[] data, int off, int len) throws IOException {
        byte[] head;
        if (len <= MAX_CONTROL_PAYLOAD) {
            head = new byte[] {(byte) (0x80 | opcode), (byte) len};
        } else if (len <= 0xFFFF) {
            head = new byte[] {(byte) (0x80 | opcode), 126, (byte) (len >>> 8), (byte) len};
        } else {
            head = new byte[10];
            head[0] = (byte) (0x80 | opcode);
            head[1] = 127;
            for (int i = 0; i < 8; i++) head[2 + i] = (byte) ((long) len >>> (56 - 8 * i));
        }
        out.write(head);
        out.write(data, off, len);
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return; // an empty frame says nothing
            send(payload.opcode, b, off, len, false);
        }

        @Override
        public void flush() throws IOException {
            synchronized (writeLock) {
                out.flush();
            }
        }
    }

    /** Reads frames as the caller asks for payload; see the class comment for what is refused. */
    private final class Input extends InputStream {
        private final ReentrantLock lock = new ReentrantLock();
        private final byte[] mask = new byte[4];
        /** Payload bytes of the current data frame not read yet. */
        private long remaining;
        /** Position in the current frame's payload, for its masking key. */
        private int maskAt;
        /** A fragmented message has begun and its final frame has not come. */
        private boolean inMessage;
        private boolean ended;
        private IOException failure;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            lock.lock();
            try {
                while (remaining == 0) {
                    if (failure != null) throw failure;
                    if (ended) return -1;
                    nextFrame();
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw end(new EOFException("the connection ended inside a WebSocket frame"));
                for (int i = 0; i < n; i++) b[off + i] ^= mask[maskAt++ & 3];
                remaining -= n;
                return n;
            } finally {
                lock.unlock();
            }
        }

        /** Reads one frame head; a control frame is read and answered whole, a data frame's payload is left to read. */
        private void nextFrame() throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                ended = true; // the client went away between frames
                inputEnded.countDown();
                return;
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0) throw violation("reserved bits set, but no extension was negotiated");
            if ((b1 & 0x80) == 0) throw violation("a client's frame must be masked");
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (long) readByte() << 8 | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) length = length << 8 | readByte();
                if (length < 0) throw violation("frame length over 2^63 - 1");
            }
            readFully(mask, 4);
            maskAt = 0;
            switch (opcode) {
                case CONTINUATION -> {
                    if (!inMessage) throw violation("continuation frame outside a fragmented message");
                }
                case TEXT, BINARY -> {
                    if (inMessage) throw violation("new message inside an unfinished fragmented message");
                }
                case CLOSE, PING, PONG -> {
                    if (!fin) throw violation("fragmented control frame");
                    if (length > MAX_CONTROL_PAYLOAD) throw violation("control frame longer than 125 bytes");
                    byte[] body = new byte[(int) length];
                    readFully(body, body.length);
                    for (int i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
                    control(opcode, body);
                    return;
                }
                default -> throw violation("unknown opcode " + opcode);
            }
            inMessage = !fin;
            remaining = length;
        }

        private void control(int opcode, byte[] body) throws IOException {
            switch (opcode) {
                case PING -> send(PONG, body, 0, body.length, true);
                case CLOSE -> {
                    if (body.length == 1) throw violation("close frame with a one-byte body");
                    int code = body.length == 0 ? -1 : (body[0] & 0xFF) << 8 | body[1] & 0xFF;
                    if (code != -1 && !sendable(code)) throw violation("close code " + code + " may not be sent");
                    closeReceived = true;
                    ended = true;
                    inputEnded.countDown();
                    // The answer echoes the code (RFC 6455 5.5.1); a close without one is answered with a normal one.
                    sendClose(code == -1 ? NORMAL_CLOSURE : code, "");
                }
                default -> { } // a pong answers nothing
            }
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) throw end(new EOFException("the connection ended inside a WebSocket frame head"));
            return b;
        }

        private void readFully(byte[] into, int len) throws IOException {
            int n = in.readNBytes(into, 0, len);
            if (n < len) throw end(new EOFException("the connection ended inside a WebSocket frame"));
        }

        private IOException end(IOException e) {
            failure = e;
            inputEnded.countDown();
            return e;
        }

        /** Answers close 1002 naming the fault (the client may be gone already), and fails this input for good. */
        private ProtocolError violation(String why) {
            ProtocolError e = new ProtocolError("WebSocket protocol error: " + why);
            end(e);
            try {
                sendClose(PROTOCOL_ERROR, why);
            } catch (IOException ignored) {
                // the input fails all the same
            }
            return e;
        }
    }

    /** Close codes a peer may put on the wire (RFC 6455 7.4): 1004-1006 and 1015 are reserved, below 1000 unused. */
    static boolean sendable(int code) {
        return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006 || code >= 3000 && code <= 4999;
    }
}
