package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
    private static InputStream wire(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsStatusAndFieldsAndStopsAtTheBody() throws IOException {
        InputStream in = wire("HTTP/1.1 206 Partial Content\r\ncontent-length: 3\r\nContent-Range: bytes 2-4/5\r\n\r\nabc");
        ResponseHead head = ResponseHead.read(in);
        assertThat(head.status()).isEqualTo(206);
        assertThat(head.reason()).isEqualTo("Partial Content");
        assertThat(head.contentLength()).isEqualTo(3);
        assertThat(head.first("CONTENT-RANGE")).hasValue("bytes 2-4/5");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("abc");
    }

    @Test
    void repeatedFieldsKeepEveryValueUnjoined() throws IOException {
        ResponseHead head = ResponseHead.read(wire("HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Bearer realm=\"a\",service=\"b\"\r\nWWW-Authenticate: Basic realm=\"c\"\r\n\r\n"));
        assertThat(head.all("www-authenticate")).containsExactly("Bearer realm=\"a\",service=\"b\"", "Basic realm=\"c\"");
        assertThat(head.all("Location")).isEmpty();
    }

    @Test
    void chunkedBodiesHaveNoLength() throws IOException {
        ResponseHead head = ResponseHead.read(wire("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nContent-Length: 9\r\n\r\n"));
        assertThat(head.chunked()).isTrue();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(ResponseHead.read(wire("HTTP/1.0 200 OK\r\n\r\n")).contentLength()).isEqualTo(-1);
    }

    @Test
    void malformedHeadsAreErrors() {
        assertThatThrownBy(() -> ResponseHead.read(wire("SSH-2.0-OpenSSH\r\n\r\n"))).hasMessageContaining("malformed status line");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 abc OK\r\n\r\n"))).hasMessageContaining("malformed status line");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))).hasMessageContaining("malformed header");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n")).contentLength())
                .hasMessageContaining("malformed Content-Length");
        assertThatThrownBy(() -> ResponseHead.read(wire(""))).isInstanceOf(EOFException.class);
    }

    @Test
    void hostilePeersCannotGrowTheHeadWithoutBound() {
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpLines.MAX_LINE + 1) + "\r\n\r\n")))
                .hasMessageContaining("HTTP line longer than");
        String big = ("X: " + "a".repeat(8000) + "\r\n").repeat(200);
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\n" + big + "\r\n")))
                .hasMessageContaining("bytes in all");
        String many = "X: y\r\n".repeat(300);
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\n" + many + "\r\n")))
                .hasMessageContaining("header fields");
    }

    @Test
    void aBoundedBodyEndsAtItsLengthAndAShortOneIsAnError() throws IOException {
        assertThat(new BoundedInputStream(wire("abcdef"), 4).readAllBytes()).isEqualTo("abcd".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> new BoundedInputStream(wire("ab"), 4).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("2 bytes of the body missing");
    }
}
