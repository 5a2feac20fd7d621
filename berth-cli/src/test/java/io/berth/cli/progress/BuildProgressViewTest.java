package io.berth.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuildProgressViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ESC = "\u001b[";
    /** Start of a frame line: back to column 0 and erase it. */
    private static final String ROW = "\r" + ESC + "2K";
    private static final String DIM = ESC + "2m";
    private static final String RESET = ESC + "0m";
    private static final Pattern CURSOR_UP = Pattern.compile("\u001b\\[\\d+A");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Instant now = Instant.ofEpochSecond(1_000);
    private int width = 80;
    private int height = 100;
    private final BuildProgressView view = new BuildProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            () -> width, () -> height, () -> now);

    private void at(long millisSinceStart) {
        now = Instant.ofEpochSecond(1_000).plusMillis(millisSinceStart);
    }

    /** One {"stream": ...} message per line, as the classic builder sends them. */
    private void stream(String... lines) {
        for (String line : lines) {
            ObjectNode m = JSON.createObjectNode().put("stream", line + "\n");
            view.accept(m);
        }
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The rows of the last frame drawn (after the last cursor-up), without their erase prefix. */
    private List<String> lastFrame() {
        String all = output();
        String[] parts = CURSOR_UP.split(all, -1);
        String frame = parts[parts.length - 1];
        frame = frame.substring(0, frame.indexOf(ESC + "J"));
        return Arrays.stream(frame.split("\n")).map(r -> r.substring(ROW.length())).toList();
    }

    @Test
    void framesAreRedrawnInPlaceWithExactBytes() {
        at(200);
        view.contextSent(2048);
        at(1_000);
        stream("Step 1/2 : FROM busybox");
        assertThat(output()).isEqualTo(
                ROW + "[+] Building 0.2s (0/0)\n"
                + ROW + "=> [internal] load build context 2.048kB  0.2s DONE\n"
                + ESC + "J"
                // second frame: up over the two rows on screen, rewrite, erase what is left below
                + ESC + "2A"
                + ROW + "[+] Building 1.0s (0/2)\n"
                + ROW + "=> [internal] load build context 2.048kB  0.2s DONE\n"
                + ROW + "=> [1/2] FROM busybox  0.0s -\n"
                + ESC + "J");
    }

    @Test
    void theClockAndSpinnerMoveOnTicks() {
        stream("Step 1/1 : RUN sleep 5");
        at(1_420);
        view.tick();
        assertThat(lastFrame()).containsExactly("[+] Building 1.4s (0/1)", "=> [1/1] RUN sleep 5  1.4s -");
        at(1_550);
        view.tick();
        assertThat(lastFrame()).containsExactly("[+] Building 1.6s (0/1)", "=> [1/1] RUN sleep 5  1.6s \\");
    }

    @Test
    void cachedStepsAreMarkedAndOnlyTheLastFiveOutputLinesOfTheRunningStepShow() {
        stream("Step 1/3 : FROM busybox", " ---> 1111");
        at(300);
        stream("Step 2/3 : COPY . /src", " ---> Using cache", " ---> 2222");
        at(500);
        stream("Step 3/3 : RUN make", " ---> Running in 3333");
        for (int i = 1; i <= 7; i++) {
            stream("out " + i);
        }
        at(1_900);
        view.tick();
        assertThat(lastFrame()).containsExactly(
                "[+] Building 1.9s (2/3)",
                "=> [1/3] FROM busybox  0.3s DONE",
                "=> [2/3] COPY . /src  0.2s CACHED",
                "=> [3/3] RUN make  1.4s \\",
                DIM + "     out 3" + RESET,
                DIM + "     out 4" + RESET,
                DIM + "     out 5" + RESET,
                DIM + "     out 6" + RESET,
                DIM + "     out 7" + RESET);

        stream("Removing intermediate container 3333", " ---> 4444");
        at(2_000);
        stream("Successfully built 4444", "Successfully tagged app:1");
        view.finish();
        // once "Successfully built" ends the last step its output rows go: the frames from there on have 4 rows
        assertThat(output()).endsWith(ESC + "4A"
                + ROW + "[+] Building 2.0s (3/3) FINISHED\n"
                + ROW + "=> [1/3] FROM busybox  0.3s DONE\n"
                + ROW + "=> [2/3] COPY . /src  0.2s CACHED\n"
                + ROW + "=> [3/3] RUN make  1.5s DONE\n"
                + ESC + "J"
                + "Successfully built 4444\nSuccessfully tagged app:1\n");
    }

    @Test
    void linesAreCutToTheWidthKeepingTimeAndMark() {
        width = 30;
        stream("Step 1/1 : RUN echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        assertThat(lastFrame()).containsExactly(
                "[+] Building 0.0s (0/1)",
                "=> [1/1] RUN echo aaa  0.0s |",
                DIM + "     bbbbbbbbbbbbbbbbbbbbbbbb" + RESET);
        assertThat(lastFrame().get(1)).hasSize(width - 1);
        assertThat(lastFrame().get(2).replace(DIM, "").replace(RESET, "")).hasSize(width - 1);
    }

    @Test
    void aShortTerminalKeepsTheHeaderAndDropsTheOldestSteps() {
        height = 4;
        stream("Step 1/3 : FROM busybox", "Step 2/3 : RUN a", "Step 3/3 : RUN b");
        assertThat(lastFrame()).containsExactly("[+] Building 0.0s (2/3)", "=> [2/3] RUN a  0.0s DONE",
                "=> [3/3] RUN b  0.0s |");
    }

    @Test
    void aFailedStepIsMarkedAndItsWholeOutputFollowsInPlainForm() {
        stream("Step 1/2 : FROM busybox", " ---> 1111", "Step 2/2 : RUN false", " ---> Running in 2222");
        for (int i = 1; i <= 7; i++) {
            stream("log " + i);
        }
        at(700);
        view.fail();
        String out = output();
        String afterFrame = out.substring(out.lastIndexOf(ESC + "J") + (ESC + "J").length());
        assertThat(afterFrame).isEqualTo("Step 2/2 : RUN false\n ---> Running in 2222\n"
                + "log 1\nlog 2\nlog 3\nlog 4\nlog 5\nlog 6\nlog 7\n");
        assertThat(lastFrame()).containsExactly("[+] Building 0.7s (1/2)", "=> [1/2] FROM busybox  0.0s DONE",
                "=> [2/2] RUN false  0.7s ERROR");
        // nothing is drawn once the view has ended
        view.tick();
        stream("late");
        assertThat(output()).isEqualTo(out);
    }

    @Test
    void streamTextSplitAcrossMessagesIsJoinedIntoLines() {
        view.accept(JSON.createObjectNode().put("stream", "Step 1/1 : RUN x\nhel"));
        view.accept(JSON.createObjectNode().put("stream", "lo\n"));
        view.accept(JSON.createObjectNode().put("status", "Pulling fs layer").put("id", "abc"));
        view.accept(JSON.createObjectNode().put("status", "Downloading").put("id", "abc").put("progress", "[=> ]"));
        assertThat(lastFrame()).containsExactly("[+] Building 0.0s (0/1)", "=> [1/1] RUN x  0.0s |",
                DIM + "     hello" + RESET, DIM + "     abc: Pulling fs layer" + RESET);
    }

    @Test
    void outputIsMadePrintableOnOneRow() {
        assertThat(BuildProgressView.printable("10%\r50%\r100%\r")).isEqualTo("100%");
        assertThat(BuildProgressView.printable("a\tb")).isEqualTo("a       b");
        assertThat(BuildProgressView.printable("\u001b[31mred\u001b[0m \u001b[2Kx\u0007")).isEqualTo("red x ");
    }

    @Test
    void theRefreshThreadRedrawsUntilClosed() throws Exception {
        stream("Step 1/1 : RUN sleep 1");
        int before = output().length();
        try (BuildProgressView.Refresh refresh = view.refreshEvery(Duration.ofMillis(5))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (output().length() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(refresh.thread().isDaemon()).isTrue();
        }
        assertThat(output().length()).isGreaterThan(before);
        int after = output().length();
        Thread.sleep(30);
        assertThat(output().length()).isEqualTo(after);
    }
}
