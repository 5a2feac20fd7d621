package io.berth.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class JsonMessageDisplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ESC = "\u001b[";
    private static final String CLEAR = "\u001b[2K\r";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private String show(OutputTerminal terminal, String... messages) throws Exception {
        JsonMessageDisplay display = new JsonMessageDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal,
                InstantSource.fixed(Instant.ofEpochSecond(1_000)));
        for (String m : messages) {
            display.accept(JSON.readTree(m));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A row of the block redrawn: up n, erase, text, back down n. */
    private static String row(int up, String text) {
        return ESC + up + "A" + CLEAR + text + "\r" + ESC + up + "B";
    }

    @Test
    void terminalGivesEachIdARowRedrawnInPlace() throws Exception {
        String out = show(OutputTerminal.fixed(80),
                "{\"status\":\"Pulling from library/alpine\",\"id\":\"latest\"}",
                "{\"status\":\"Pulling fs layer\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Pulling fs layer\",\"id\":\"bbbbbbbbbbbb\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":12345678,\"total\":45678901},"
                        + "\"progress\":\"[===>   ] daemon text\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Pull complete\",\"id\":\"bbbbbbbbbbbb\"}",
                "{\"status\":\"Digest: sha256:abc\"}",
                "{\"status\":\"Status: Downloaded newer image for alpine:latest\"}");
        assertThat(out).isEqualTo(
                "\n" + row(1, "latest: Pulling from library/alpine")
                + "\n" + row(1, "aaaaaaaaaaaa: Pulling fs layer")
                + "\n" + row(1, "bbbbbbbbbbbb: Pulling fs layer")
                // width 80 is too narrow for the bar: numbers only, as docker
                + row(2, "aaaaaaaaaaaa: Downloading  12.35MB/45.68MB")
                + row(1, "bbbbbbbbbbbb: Pull complete")
                + "Digest: sha256:abc\n"
                + "Status: Downloaded newer image for alpine:latest\n");
    }

    @Test
    void wideTerminalDrawsTheBarFromProgressDetail() throws Exception {
        String out = show(OutputTerminal.fixed(120),
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":25,\"total\":100},\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":100,\"total\":100},\"id\":\"aaaaaaaaaaaa\"}");
        assertThat(out).isEqualTo("\n"
                + row(1, "aaaaaaaaaaaa: Downloading [" + "=".repeat(12) + ">" + " ".repeat(38) + "]      25B/100B")
                + row(1, "aaaaaaaaaaaa: Downloading [" + "=".repeat(50) + ">]     100B/100B"));
    }

    @Test
    void timeLeftComesFromTheStart() throws Exception {
        // 10 s for the first quarter: 30 s for the rest
        String out = show(OutputTerminal.fixed(120),
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":250,\"total\":1000,\"start\":990},\"id\":\"a\"}");
        assertThat(out).endsWith("]     250B/1kB 30s\r" + ESC + "1B");
    }

    @Test
    void daemonProgressTextIsUsedWhenTheDetailHasNoCounts() throws Exception {
        String out = show(OutputTerminal.fixed(80),
                "{\"status\":\"Loading layer\",\"progress\":\"[==>  ] 1MB/2MB\",\"id\":\"cccccccccccc\"}");
        assertThat(out).isEqualTo("\n" + row(1, "cccccccccccc: Loading layer [==>  ] 1MB/2MB"));
    }

    @Test
    void rowsAreCutToTheTerminalWidth() throws Exception {
        String out = show(OutputTerminal.fixed(20),
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":5000,\"total\":9000},\"id\":\"aaaaaaaaaaaa\"}");
        // 19 columns: the last one is left empty
        assertThat(out).isEqualTo("\n" + row(1, "aaaaaaaaaaaa: Downl"));
    }

    @Test
    void plainLineClosesTheBlockSoLaterIdsStartANewOne() throws Exception {
        String out = show(OutputTerminal.fixed(80),
                "{\"status\":\"Preparing\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"stream\":\"Step 2/2 : RUN true\\n\"}",
                "{\"status\":\"Pushed\",\"id\":\"aaaaaaaaaaaa\"}");
        assertThat(out).isEqualTo("\n" + row(1, "aaaaaaaaaaaa: Preparing")
                + "Step 2/2 : RUN true\n"
                + "\n" + row(1, "aaaaaaaaaaaa: Pushed"));
    }

    @Test
    void progressWithoutIdIsRedrawnOnTheCurrentLineAndErasedBeforeTheNextOutput() throws Exception {
        String out = show(OutputTerminal.fixed(80),
                "{\"status\":\"Loading\",\"progressDetail\":{\"current\":1000,\"total\":2000}}",
                "{\"stream\":\"Loaded image: x:latest\\n\"}");
        assertThat(out).isEqualTo(CLEAR + "Loading      1kB/2kB\r" + "\u001b[2K" + "Loaded image: x:latest\n");
    }

    @Test
    void withoutTerminalThereAreNoEscapesAndNoByteUpdates() throws Exception {
        String out = show(OutputTerminal.NONE,
                "{\"status\":\"Pulling from library/alpine\",\"id\":\"latest\"}",
                "{\"status\":\"Pulling fs layer\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1,\"total\":2},\"progress\":\"[=> ] 1B/2B\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Loading layer\",\"progress\":\"[=> ] 1B/2B\",\"id\":\"aaaaaaaaaaaa\"}",
                "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"aaaaaaaaaaaa\"}",
                "{\"stream\":\"Step 1/1 : FROM alpine\\n\"}",
                "{\"aux\":{\"ID\":\"sha256:abc\"}}",
                "{\"status\":\"Digest: sha256:abc\"}");
        assertThat(out).isEqualTo("latest: Pulling from library/alpine\n"
                + "aaaaaaaaaaaa: Pulling fs layer\n"
                + "aaaaaaaaaaaa: Pull complete\n"
                + "Step 1/1 : FROM alpine\n"
                + "Digest: sha256:abc\n");
        assertThat(out).doesNotContain("\u001b");
    }

    @Test
    void byteProgressRendersLikeDocker() {
        assertThat(new ByteProgress(0, 0, 0, "", false).render(200, Instant.EPOCH)).isEmpty();
        assertThat(new ByteProgress(1_500_000, 0, 0, "", false).render(80, Instant.EPOCH)).isEqualTo("   1.5MB");
        assertThat(new ByteProgress(3, 10, 0, "layers", false).render(80, Instant.EPOCH)).isEqualTo("3/10 layers");
        assertThat(new ByteProgress(20, 10, 0, "", false).render(80, Instant.EPOCH)).isEqualTo("     20B");
        assertThat(new ByteProgress(5, 10, 0, "", true).render(120, Instant.EPOCH))
                .isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(25) + "] ");
        assertThat(ByteProgress.goDuration(0)).isEqualTo("0s");
        assertThat(ByteProgress.goDuration(125)).isEqualTo("2m5s");
        assertThat(ByteProgress.goDuration(3603)).isEqualTo("1h0m3s");
    }
}
