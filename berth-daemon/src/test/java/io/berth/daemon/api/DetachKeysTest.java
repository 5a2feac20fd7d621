package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

class DetachKeysTest {
    private static final String ATTACH_ERROR = "Invalid detach keys (%s) provided";

    @Test
    void keysParseInDockersWords() {
        assertThat(DetachKeys.parse(null, ATTACH_ERROR).sequence()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("", ATTACH_ERROR).sequence()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-a,x,DEL,ctrl-@,ctrl-_,ctrl-\\", ATTACH_ERROR).sequence())
                .containsExactly(1, 'x', 127, 0, 31, 28);
        for (String bad : List.of("ctrl-1", "ctrl-A", "abc", "a,,b", "ctrl-", "é")) {
            assertThatThrownBy(() -> DetachKeys.parse(bad, ATTACH_ERROR)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("Invalid detach keys (" + bad + ") provided");
        }
    }

    @Test
    void inputEndsWhereTheSequenceIsTypedAndWhatFollowsIsDropped() throws IOException {
        DetachingInputStream in = DetachKeys.DEFAULT.watch(new ByteArrayInputStream(bytes("ls\n", 16, 17, "rm -rf\n")));
        assertThat(in.readAllBytes()).isEqualTo(bytes("ls\n"));
        assertThat(in.detached()).isTrue();
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aSequenceSplitAcrossReadsStillDetaches() throws IOException {
        DetachingInputStream in = DetachKeys.DEFAULT.watch(chunks(bytes("a", 16), bytes(17, "b")));
        assertThat(in.readAllBytes()).isEqualTo(bytes("a"));
        assertThat(in.detached()).isTrue();
    }

    @Test
    void heldBackBytesThatAreNotTheSequencePassOnInOrder() throws IOException {
        // ctrl-p then x: both are input; ctrl-p ctrl-p ctrl-q: the first ctrl-p is input, the rest detaches
        DetachingInputStream in = DetachKeys.DEFAULT.watch(chunks(bytes("a", 16), bytes("x", 16), bytes(16, 17, "z")));
        assertThat(in.readAllBytes()).isEqualTo(bytes("a", 16, "x", 16));
        assertThat(in.detached()).isTrue();
    }

    @Test
    void inputThatEndsInsideASequenceKeepsItsLastBytes() throws IOException {
        DetachingInputStream in = DetachKeys.DEFAULT.watch(new ByteArrayInputStream(bytes("end", 16)));
        assertThat(in.readAllBytes()).isEqualTo(bytes("end", 16));
        assertThat(in.detached()).isFalse();
    }

    private static InputStream chunks(byte[]... parts) {
        return new SequenceInputStream(Collections.enumeration(List.of(parts).stream()
                .map(p -> (InputStream) new ByteArrayInputStream(p)).toList()));
    }

    /** Strings as ASCII and ints as single bytes, in order. */
    private static byte[] bytes(Object... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            else out.write((Integer) p);
        }
        return out.toByteArray();
    }
}
