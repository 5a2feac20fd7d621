package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** State survives kill -9 of berthd: containers keep running under conmon and stay manageable. */
@Tag("privileged")
class DaemonRestartTest {

    @Test
    void twentyContainersSurviveKillNineAndExitCodesAreRecorded() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("restart");
        BerthdProcess second = null;
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "keep" + i;
                first.cli("run", "-d", "--name", name, "busybox", "sh", "-c", "echo up-" + i + "; while true; do sleep 1; done").orFail();
                names.add(name);
            }
            first.cli("run", "-d", "--name", "ends", "busybox", "sh", "-c", "sleep 3; exit 42").orFail();
            first.cli("run", "-d", "--name", "ends-later", "busybox", "sh", "-c", "echo before; sleep 9; echo after").orFail();
            first.killHard();
            Thread.sleep(4000); // "ends" exits while no daemon is running

            Instant secondStart = Instant.now();
            second = new BerthdProcess(first.root).start();
            String running = second.cli("ps", "--format", "{{.Names}}").orFail().out();
            for (String name : names) assertThat(running).contains(name);
            assertThat(second.cli("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "ends").orFail().out()).isEqualTo("exited 42");
            Instant finished = Instant.parse(second.cli("inspect", "-f", "{{.State.FinishedAt}}", "ends").orFail().out());
            assertThat(finished).as("the exit time, not the time the second daemon settled it").isBefore(secondStart);
            assertThat(second.cli("logs", "keep3").orFail().out()).isEqualTo("up-3");
            assertThat(second.cli("exec", "keep4", "echo", "exec-after-restart").orFail().out()).isEqualTo("exec-after-restart");
            // logs -f on a container started by the first daemon follows it to its end
            assertThat(second.cli("logs", "-f", "ends-later").orFail().out()).isEqualTo("before\nafter");
            assertThat(second.cli("inspect", "-f", "{{.State.ExitCode}}", "ends-later").orFail().out()).isEqualTo("0");
            second.cli("stop", "-t", "1", "keep5").orFail();
            assertThat(second.cli("inspect", "-f", "{{.State.Status}}", "keep5").orFail().out()).isEqualTo("exited");
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }

    @Test
    void aDaemonStartRestartsAlwaysContainersEvenStoppedByHandButNotUnlessStoppedOnes() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("restart-policy");
        BerthdProcess second = null;
        try {
            first.cli("run", "-d", "--name", "always", "--restart", "always", "busybox", "sleep", "300").orFail();
            first.cli("run", "-d", "--name", "unless", "--restart", "unless-stopped", "busybox", "sleep", "300").orFail();
            first.cli("stop", "-t", "0", "always", "unless").orFail();
            first.killHard();

            second = new BerthdProcess(first.root).start();
            assertThat(awaitStatus(second, "always", "running")).isEqualTo("running");
            assertThat(second.cli("inspect", "-f", "{{.State.Status}}", "unless").orFail().out()).isEqualTo("exited");
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }

    @Test
    void aRunWhoseRunningStateNeverReachedTheDiskIsAdoptedAtTheNextStart() throws Exception {
        BerthdProcess first = DaemonFixture.startWithBusybox("restart-adopt");
        BerthdProcess second = null;
        try {
            String id = first.cli("run", "-d", "--name", "unrecorded", "busybox", "sleep", "300").orFail().out();
            first.killHard();
            // As if berthd had died between the runtime's start and the save of the running state.
            Path state = first.dataRoot.resolve("containers").resolve(id).resolve("container.json");
            ObjectNode doc = (ObjectNode) JSON.readTree(state.toFile());
            ((ObjectNode) doc.get("state")).put("status", "CREATED").put("pid", 0).putNull("startedAt");
            doc.put("conmonPid", 0);
            JSON.writeValue(state.toFile(), doc);

            second = new BerthdProcess(first.root).start();
            assertThat(second.cli("inspect", "-f", "{{.State.Status}}", "unrecorded").orFail().out()).isEqualTo("running");
            second.cli("stop", "-t", "0", "unrecorded").orFail();
            assertThat(second.cli("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "unrecorded").orFail().out())
                    .isEqualTo("exited 137");
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String awaitStatus(BerthdProcess daemon, String name, String wanted) throws Exception {
        String status = "";
        for (int i = 0; i < 50 && !status.equals(wanted); i++) {
            status = daemon.cli("inspect", "-f", "{{.State.Status}}", name).orFail().out();
            if (!status.equals(wanted)) Thread.sleep(100);
        }
        return status;
    }
}
