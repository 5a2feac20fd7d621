package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {
    private static InputStream wire(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void stopsAtTheLengthAndLeavesTheRest() throws IOException {
        InputStream in = wire("helloNEXT");
        LimitedInputStream body = new LimitedInputStream(in, 5);
        assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(body.read()).isEqualTo(-1);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    @Test
    void singleByteReadsCountDown() throws IOException {
        LimitedInputStream body = new LimitedInputStream(wire("abc"), 2);
        assertThat(body.read()).isEqualTo('a');
        assertThat(body.read()).isEqualTo('b');
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void arrayReadsAreCappedAtTheRemainder() throws IOException {
        LimitedInputStream body = new LimitedInputStream(wire("abcdefgh"), 3);
        byte[] buf = new byte[10];
        assertThat(body.read(buf, 0, 10)).isEqualTo(3);
        assertThat(body.read(buf, 0, 10)).isEqualTo(-1);
    }

    @Test
    void zeroLengthIsEmpty() throws IOException {
        assertThat(new LimitedInputStream(wire("abc"), 0).read()).isEqualTo(-1);
        assertThat(new LimitedInputStream(wire("abc"), 0).read(new byte[2], 0, 2)).isEqualTo(-1);
    }

    @Test
    void shortUnderlyingStreamEndsEarly() throws IOException {
        LimitedInputStream body = new LimitedInputStream(wire("ab"), 10);
        assertThat(body.readAllBytes()).containsExactly('a', 'b');
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void highBytesAreReturnedUnsigned() throws IOException {
        LimitedInputStream body = new LimitedInputStream(new ByteArrayInputStream(new byte[] {(byte) 0xfe}), 1);
        assertThat(body.read()).isEqualTo(0xfe);
    }
}
