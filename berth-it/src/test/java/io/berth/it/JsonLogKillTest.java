package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A json-file log written while berthd is killed with -9 and started again: no record lost or doubled, the container unharmed. */
@Tag("privileged")
class JsonLogKillTest {
    @Test
    void killNineWhileAContainerWritesLosesAndDoublesNothing() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("json-kill");
        BerthdProcess second = null;
        try {
            // 30 rounds of 1000 numbered lines: about 6 s of output, with berthd gone for 3 s in the middle
            first.docker("run", "-d", "--name", "writer", "busybox", "sh", "-c",
                    "for r in $(seq 0 29); do seq $((r*1000+1)) $((r*1000+1000)) | sed 's/^/n-/'; sleep 0.2; done").orFail();
            Thread.sleep(1500);
            first.killHard();
            Thread.sleep(3000);
            second = new BerthdProcess(first.root).start();
            assertThat(second.docker("wait", "writer").orFail().out().trim()).isEqualTo("0");
            List<String> lines = second.docker("logs", "writer").orFail().stdout().lines().toList();
            assertThat(lines).hasSize(30_000);
            for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i)).isEqualTo("n-" + (i + 1));
            Path log = Path.of(second.docker("inspect", "-f", "{{.LogPath}}", "writer").orFail().out().trim());
            // one JSON object a line; conmon's reads may cut a line into partial records, so count full ones
            List<String> records = Files.readAllLines(log);
            assertThat(records).allMatch(l -> l.startsWith("{\"log\":\"") && l.endsWith("Z\"}"));
            assertThat(records.stream().filter(l -> l.contains("\\n\",\"stream\":\"stdout\"")).count()).isEqualTo(30_000);
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }
}
