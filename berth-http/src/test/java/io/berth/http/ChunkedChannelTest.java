package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A chunked body from buffers: the same bytes whether the data goes to the socket directly or through the stream. */
class ChunkedChannelTest {
    @Test
    void chunksThroughTheStreamAlone() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        write(new ChunkedChannel(new BufferedOutputStream(wire, 16), null));
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo(EXPECTED);
    }

    @Test
    void chunkDataStraightToTheSocketKeepsItsPlaceBetweenSizeLineAndEnd() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        WritableByteChannel socket = Channels.newChannel(wire);
        // the connection's stream buffers: a size line left in it would come after the data written around it
        OutputStream connection = new BufferedOutputStream(Channels.newOutputStream(socket), 1024);
        write(new ChunkedChannel(connection, socket));
        assertThat(wire.toString(StandardCharsets.US_ASCII)).isEqualTo(EXPECTED);
        // and Go's chunked reader's view of it: the data alone
        InputStream body = new ChunkedInputStream(new java.io.ByteArrayInputStream(wire.toByteArray()));
        assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, " + "x".repeat(300));
    }

    private static final String EXPECTED = "7\r\nhello, \r\n12c\r\n" + "x".repeat(300) + "\r\n0\r\n\r\n";

    private static void write(ChunkedChannel body) throws IOException {
        assertThat(body.write(ByteBuffer.wrap("hello, ".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(7);
        assertThat(body.write(ByteBuffer.allocate(0))).isZero(); // no chunk: an empty one would end the body
        ByteBuffer direct = ByteBuffer.allocateDirect(300);
        while (direct.hasRemaining()) direct.put((byte) 'x');
        assertThat(body.write(direct.flip())).isEqualTo(300);
        body.close();
        body.close();
    }
}
