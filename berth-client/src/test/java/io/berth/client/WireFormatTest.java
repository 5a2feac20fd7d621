package io.berth.client;

import io.berth.http.ChunkedInputStream;
import io.berth.http.ChunkedOutputStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedOutputRoundTrips() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ChunkedOutputStream out = new ChunkedOutputStream(raw, false);
        out.write("hello ".getBytes(StandardCharsets.UTF_8));
        out.write("world".getBytes(StandardCharsets.UTF_8));
        out.finish();
        assertThat(raw.toString(StandardCharsets.ISO_8859_1)).isEqualTo("6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n");
        assertThat(new ChunkedInputStream(new ByteArrayInputStream(raw.toByteArray())).readAllBytes())
                .isEqualTo("hello world".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void demultiplexesStdoutAndStderrFrames() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 3});
        stream.write("out".getBytes(StandardCharsets.UTF_8));
        stream.write(new byte[] {2, 0, 0, 0, 0, 0, 0, 4});
        stream.write("err\n".getBytes(StandardCharsets.UTF_8));
        stream.write(new byte[] {1, 0, 0, 0, 0, 0, 1, 0});
        stream.write(new byte[256]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StreamDemux.demux(new ByteArrayInputStream(stream.toByteArray()), out, err);
        assertThat(out.size()).isEqualTo(3 + 256);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    }

    @Test
    void truncatedFrameIsAnError() {
        byte[] frame = {1, 0, 0, 0, 0, 0, 0, 9, 'x'};
        assertThatThrownBy(() -> StreamDemux.demux(new ByteArrayInputStream(frame), new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void ttyStreamsAreCopiedRaw() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamDemux.copy(true, bytes("\u0001raw"), out, new ByteArrayOutputStream());
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0001raw");
    }

    @Test
    void hostPrecedenceIsFlagThenBerthHostThenDockerHost() {
        Map<String, String> env = Map.of("BERTH_HOST", "unix:///b.sock", "DOCKER_HOST", "unix:///d.sock");
        assertThat(DockerHost.resolve("unix:///f.sock", env)).isEqualTo(new DockerHost.Unix(Path.of("/f.sock")));
        assertThat(DockerHost.resolve(null, env)).isEqualTo(new DockerHost.Unix(Path.of("/b.sock")));
        assertThat(DockerHost.resolve(null, Map.of("DOCKER_HOST", "unix:///d.sock"))).isEqualTo(new DockerHost.Unix(Path.of("/d.sock")));
        assertThat(DockerHost.resolve(null, Map.of())).isEqualTo(new DockerHost.Unix(Path.of("/run/berth/berth.sock")));
        assertThat(DockerHost.resolve(null, Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"))).isEqualTo(new DockerHost.Tcp("127.0.0.1", 2375));
        assertThatThrownBy(() -> DockerHost.parse("ssh://host")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queryEncodingAndPathSegments() {
        assertThat(Query.of().flag("all", true).flag("size", false).add("name", "a b").add("x", null).toString())
                .isEqualTo("?all=1&name=a%20b");
        assertThat(Query.path("localhost:5000/foo:1.0")).isEqualTo("localhost:5000/foo:1.0");
        assertThat(Query.path("a?b#c")).isEqualTo("a%3Fb%23c");
    }
}
