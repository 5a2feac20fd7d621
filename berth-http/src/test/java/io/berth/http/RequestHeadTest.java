package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static InputStream wire(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static RequestHead read(String s) throws IOException {
        return RequestHead.read(wire(s));
    }

    @Test
    void readsRequestLineAndFieldsAndStopsAtTheBody() throws IOException {
        InputStream in = wire("\r\nPUT /v2/a%2Fb/blobs/uploads/x?digest=sha256%3Aab&n=1 HTTP/1.1\r\n"
                + "host: r\r\nContent-Length: 3\r\n\r\nabc");
        RequestHead head = RequestHead.read(in);
        assertThat(head.method()).isEqualTo("PUT");
        assertThat(head.rawPath()).isEqualTo("/v2/a%2Fb/blobs/uploads/x");
        assertThat(head.rawQuery()).isEqualTo("digest=sha256%3Aab&n=1");
        assertThat(head.first("HOST")).hasValue("r");
        assertThat(head.contentLength()).isEqualTo(3);
        assertThat(head.chunked()).isFalse();
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("abc");
    }

    @Test
    void aTargetWithoutQueryHasNone() throws IOException {
        RequestHead head = read("GET /v2/ HTTP/1.1\r\n\r\n");
        assertThat(head.rawQuery()).isNull();
        assertThat(head.contentLength()).isZero();
    }

    @Test
    void keepAliveIsTheDefaultOfHttp11Only() throws IOException {
        assertThat(read("GET / HTTP/1.1\r\n\r\n").keepAlive()).isTrue();
        assertThat(read("GET / HTTP/1.1\r\nConnection: Keep-Alive, Close\r\n\r\n").keepAlive()).isFalse();
        assertThat(read("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isFalse();
    }

    @Test
    void expectContinueIsRecognised() throws IOException {
        assertThat(read("PUT / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n").expectsContinue()).isTrue();
        assertThat(read("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectsContinue()).isFalse();
        assertThat(read("PUT / HTTP/1.1\r\n\r\n").expectsContinue()).isFalse();
    }

    @Test
    void chunkedBodiesAreFramedByTheirChunks() throws IOException {
        RequestHead head = read("PATCH / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(head.chunked()).isTrue();
        assertThat(head.contentLength()).isZero();
    }

    @Test
    void ambiguousOrUnsupportedFramingIsRefused() {
        assertThatThrownBy(() -> read("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"))
                .hasMessageContaining("framing");
        assertThatThrownBy(() -> read("PUT / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .hasMessageContaining("framing");
        assertThatThrownBy(() -> read("PUT / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"))
                .hasMessageContaining("conflicting");
        assertThatThrownBy(() -> read("PUT / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"))
                .hasMessageContaining("Content-Length");
    }

    @Test
    void repeatedEqualLengthsAreOneLength() throws IOException {
        assertThat(read("PUT / HTTP/1.1\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n").contentLength()).isEqualTo(5);
    }

    @Test
    void malformedRequestLinesAreRefused() {
        for (String line : new String[] {"GET /\r\n", "GET / HTTP/2.0\r\n", "GET  / HTTP/1.1\r\n", "G(T / HTTP/1.1\r\n",
                "GET /a b HTTP/1.1\r\n", "GET /a|b HTTP/1.1\r\n", "\u0016\u0003\u0001 x HTTP/1.1\r\n"}) {
            assertThatThrownBy(() -> read(line + "\r\n")).as(line).isInstanceOf(IOException.class)
                    .isNotInstanceOf(EOFException.class);
        }
        assertThatThrownBy(() -> read("GET / HTTP/1.1\r\nno colon\r\n\r\n")).hasMessageContaining("header line");
    }

    @Test
    void headsAreBounded() {
        assertThatThrownBy(() -> read("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HeaderFields.MAX_FIELDS + 1) + "\r\n"))
                .hasMessageContaining("header fields");
        assertThatThrownBy(() -> read("GET /" + "a".repeat(HttpLines.MAX_LINE) + " HTTP/1.1\r\n\r\n"))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> read("\r\n".repeat(100) + "GET / HTTP/1.1\r\n\r\n")).hasMessageContaining("empty lines");
    }

    @Test
    void anEndedStreamIsNoRequest() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
    }
}
