package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Heads Go's server refuses, with the status it answers; each is a way two readers of one stream could disagree. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | GET /\\r\\n
            400 | GET  / HTTP/1.1\\r\\n
            400 | G(T / HTTP/1.1\\r\\n
            400 | GET /a b HTTP/1.1\\r\\n
            400 | GET /a\\u0000b HTTP/1.1\\r\\n
            400 | GET /\\u00e4 HTTP/1.1\\r\\n
            400 | GET a/b HTTP/1.1\\r\\n
            400 | \\u0016\\u0003\\u0001 x HTTP/1.1\\r\\n
            400 | GET / HTTP/1.1 \\r\\n
            400 | GET / HTTP/1.1\\r\\r\\n
            400 | GET / http/1.1\\r\\n
            400 | GET / HTTP/11\\r\\n
            505 | GET / HTTP/2.0\\r\\n
            505 | GET / HTTP/1.2\\r\\n
            505 | GET / HTTP/0.9\\r\\n
            400 | GET / HTTP/1.1\\r\\nno colon\\r\\n
            400 | GET / HTTP/1.1\\r\\n: empty name\\r\\n
            400 | GET / HTTP/1.1\\r\\nHost : x\\r\\n
            400 | GET / HTTP/1.1\\r\\nHost\\t: x\\r\\n
            400 | GET / HTTP/1.1\\r\\n Host: x\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: 1\\r\\n folded: 2\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: 1\\r\\n\\tfolded\\r\\n
            400 | GET / HTTP/1.1\\r\\nX(A): 1\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: a\\rb\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: a\\u0000b\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: a\\u007fb\\r\\n
            400 | GET / HTTP/1.1\\r\\nX-A: a\\u0001b\\r\\n
            400 | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: -5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: +5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 0x5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 5 5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 5, 5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: \\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 99999999999999999999\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n
            400 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n
            400 | PUT / HTTP/1.1\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n
            400 | PUT / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: gzip, chunked\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: chunked, chunked\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: identity\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: xchunked\\r\\n
            501 | PUT / HTTP/1.1\\r\\nTransfer-Encoding: \\r\\n
            """)
    void refusesWithGosStatus(int status, String head) {
        String raw = unescape(head) + "\r\n";
        assertThatThrownBy(() -> read(raw)).as(head).isInstanceOfSatisfying(HttpFramingException.class,
                e -> assertThat(e.status()).as(head + ": " + e.getMessage()).isEqualTo(status));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("escape \\" + next);
            }
        }
        return out.toString();
    }

    @Test
    void whatGoAcceptsIsAccepted() throws IOException {
        RequestHead head = read("GET /containers/json?filters={\"status\":[\"running\"]} HTTP/1.1\r\n"
                + "Host: d\r\nX-Empty:\r\nX-Tab:\t a\tb \t\r\nX-Latin: caf\u00e9\r\n"
                + "Content-Length: 0005\r\ncontent-length: 0005\r\n\n");
        assertThat(head.rawPath()).isEqualTo("/containers/json");
        assertThat(head.rawQuery()).isEqualTo("filters={\"status\":[\"running\"]}");
        assertThat(head.first("X-Empty")).hasValue("");
        assertThat(head.first("X-Tab")).hasValue("a\tb");
        assertThat(head.first("x-latin")).hasValue("caf\u00e9");
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(read("PUT / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n").chunked()).isTrue();
    }

    @Test
    void anAbsoluteFormTargetIsReducedToPathAndQuery() throws IOException {
        RequestHead head = read("GET http://docker/v1.43/info?x=1 HTTP/1.1\r\n\r\n");
        assertThat(head.rawPath()).isEqualTo("/v1.43/info");
        assertThat(head.rawQuery()).isEqualTo("x=1");
    }

    @Test
    void headsAreBoundedAsGosAre() {
        assertThatThrownBy(() -> read("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HeaderFields.MAX_FIELDS + 1) + "\r\n"))
                .isInstanceOfSatisfying(HttpFramingException.class, e -> assertThat(e.status()).isEqualTo(431));
        // 17 lines of 64 KB: each line is fine, their sum is not (today's Docker clients send a few KB at most)
        String big = ("X-Big: " + "a".repeat(64 * 1024 - 10) + "\r\n").repeat(17);
        assertThatThrownBy(() -> read("GET / HTTP/1.1\r\n" + big + "\r\n"))
                .isInstanceOfSatisfying(HttpFramingException.class, e -> assertThat(e.status()).isEqualTo(431))
                .hasMessageContaining("larger than 1048576");
        assertThatThrownBy(() -> read("GET /" + "a".repeat(RequestHead.MAX_HEAD) + " HTTP/1.1\r\n\r\n"))
                .isInstanceOfSatisfying(HttpFramingException.class, e -> assertThat(e.status()).isEqualTo(431));
        assertThatThrownBy(() -> read("\r\n".repeat(100) + "GET / HTTP/1.1\r\n\r\n")).hasMessageContaining("empty lines");
    }

    @Test
    void aHeadJustUnderTheBoundIsRead() throws IOException {
        // One 200 KB field (Go has no per-line bound, only the total): an X-Registry-Config with many registries.
        String value = "a".repeat(200 * 1024);
        assertThat(read("GET / HTTP/1.1\r\nX-Registry-Config: " + value + "\r\n\r\n").first("X-Registry-Config"))
                .hasValue(value);
    }

    @Test
    void anEndedStreamIsNoRequest() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
    }
}
