package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedInputStreamTest {
    private static InputStream wire(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String decode(InputStream wire) throws IOException {
        return new String(new ChunkedInputStream(wire).readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesChunks() throws IOException {
        assertThat(decode(wire("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"))).isEqualTo("hello world");
    }

    @Test
    void hexSizesInEitherCase() throws IOException {
        String sixteen = "0123456789abcdef";
        assertThat(decode(wire("a\r\n" + sixteen.substring(0, 10) + "\r\nF\r\n" + sixteen.substring(0, 15) + "\r\n0\r\n\r\n")))
                .isEqualTo(sixteen.substring(0, 10) + sixteen.substring(0, 15));
    }

    @Test
    void chunkExtensionsAreIgnored() throws IOException {
        assertThat(decode(wire("3;name=value\r\nabc\r\n2 ; x\r\nde\r\n0;last\r\n\r\n"))).isEqualTo("abcde");
    }

    @Test
    void trailersAreSkippedAndTheStreamStopsAfterThem() throws IOException {
        InputStream in = wire("3\r\nabc\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\nNEXT");
        assertThat(decode(in)).isEqualTo("abc");
        // Whatever follows the body belongs to the next request and is left unread.
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
    }

    /** Each is framing a lenient reader would take one way and a proxy another (Go 1.24.2 refuses bare LF too). */
    @ParameterizedTest
    @ValueSource(strings = {"2\nhi\r\n0\r\n\r\n", "2\r\nhi\n0\r\n\r\n", "2\r\nhiXX0\r\n\r\n", "+2\r\nhi\r\n0\r\n\r\n",
            "0x2\r\nhi\r\n0\r\n\r\n", " 2\r\nhi\r\n0\r\n\r\n", "2 \r\nhi\r\n0\r\n\r\n", "2\r\nhi\r\n0\r\nno colon\r\n\r\n",
            "2\r\nhi\r\n0\r\n\r", "2;a\u0000b\r\nhi\r\n0\r\n\r\n", "1000000000000000\r\nhi\r\n"})
    void malformedFramingIsA400(String framed) {
        assertThatThrownBy(() -> decode(wire(framed))).as(framed)
                .isInstanceOfSatisfying(HttpFramingException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aFailureSticks() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(wire("2\r\nhiXX2\r\nhi\r\n0\r\n\r\n"));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(HttpFramingException.class);
        // A reader that went on would take "2\r\nhi" for the next chunk.
        assertThatThrownBy(in::read).isInstanceOf(HttpFramingException.class).hasMessageContaining("CRLF");
    }

    @Test
    void anOverlongTrailerSectionIsRefused() {
        String trailers = ("X-T: " + "a".repeat(1000) + "\r\n").repeat(100);
        assertThatThrownBy(() -> decode(wire("1\r\nx\r\n0\r\n" + trailers + "\r\n")))
                .isInstanceOf(HttpFramingException.class);
    }

    @Test
    void readsAfterTheEndKeepReturningMinusOne() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(wire("1\r\nx\r\n0\r\n\r\n"));
        assertThat(in.read()).isEqualTo('x');
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }

    @Test
    void singleByteReadsReturnUnsignedValues() throws IOException {
        byte[] body = {(byte) 0xff, 0x00, (byte) 0x80};
        byte[] framed = new byte[3 + 3 + 2 + 5];
        System.arraycopy("3\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, framed, 0, 3);
        System.arraycopy(body, 0, framed, 3, 3);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, framed, 6, 7);
        ChunkedInputStream in = new ChunkedInputStream(new ByteArrayInputStream(framed));
        assertThat(in.read()).isEqualTo(0xff);
        assertThat(in.read()).isEqualTo(0x00);
        assertThat(in.read()).isEqualTo(0x80);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void smallReadsSpanChunkBoundaries() throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(wire("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n"));
        byte[] buf = new byte[3];
        StringBuilder out = new StringBuilder();
        int n;
        while ((n = in.read(buf, 0, buf.length)) >= 0) out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        assertThat(out).hasToString("abcdefgh");
    }

    @Test
    void badChunkSizeFails() {
        assertThatThrownBy(() -> decode(wire("zz\r\nabc\r\n0\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size: zz");
    }

    @Test
    void negativeChunkSizeFails() {
        assertThatThrownBy(() -> decode(wire("-5\r\nabcde\r\n0\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
    }

    @Test
    void emptySizeLineFails() {
        assertThatThrownBy(() -> decode(wire("\r\nabc\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
    }

    @Test
    void oversizedChunkSizeFails() {
        assertThatThrownBy(() -> decode(wire("fffffffffffffffffff\r\nabc\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
    }

    @Test
    void connectionClosedInsideAChunkFails() {
        assertThatThrownBy(() -> decode(wire("a\r\nabc")))
                .isInstanceOf(IOException.class).hasMessageContaining("connection closed inside a chunk");
    }

    @Test
    void connectionClosedBeforeTheLastChunkFails() {
        assertThatThrownBy(() -> decode(wire("3\r\nabc\r\n"))).isInstanceOf(IOException.class);
    }
}
