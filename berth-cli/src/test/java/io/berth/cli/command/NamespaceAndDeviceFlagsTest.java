package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --pid --ipc --uts --userns --cgroupns --device --device-cgroup-rule --group-add as the docker CLI sends them. */
class NamespaceAndDeviceFlagsTest {
    private static JsonNode hostConfig(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run.model()).setStopAtPositional(true).parseArgs(args);
        return run.options.toCreateBody(run.detach, Map.of()).path("HostConfig");
    }

    @Test
    void namespaceFlagsBecomeTheModes() {
        JsonNode hc = hostConfig("--pid", "container:db", "--ipc", "shareable", "--uts", "host", "--userns", "host",
                "--cgroupns", "private", "--group-add", "123", "--group-add", "audio", "busybox");
        assertThat(hc.path("PidMode").asText()).isEqualTo("container:db");
        assertThat(hc.path("IpcMode").asText()).isEqualTo("shareable");
        assertThat(hc.path("UTSMode").asText()).isEqualTo("host");
        assertThat(hc.path("UsernsMode").asText()).isEqualTo("host");
        assertThat(hc.path("CgroupnsMode").asText()).isEqualTo("private");
        assertThat(hc.path("GroupAdd").toString()).isEqualTo("[\"123\",\"audio\"]");
        JsonNode none = hostConfig("busybox");
        for (String field : new String[] {"PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Devices", "DeviceCgroupRules"}) {
            assertThat(none.has(field)).as(field).isFalse();
        }
    }

    @Test
    void devicesAreReadAsTheDockerCliReadsThem() {
        JsonNode hc = hostConfig("--device", "/dev/fuse", "--device", "/dev/null:/dev/mynull:rw", "--device", "/dev/zero:r",
                "--device", "/dev/full:/dev/f", "--device-cgroup-rule", "c 1:3 rwm", "busybox");
        assertThat(hc.path("Devices").toString()).isEqualTo("["
                + "{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"},"
                + "{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"rw\"},"
                + "{\"PathOnHost\":\"/dev/zero\",\"PathInContainer\":\"/dev/zero\",\"CgroupPermissions\":\"r\"},"
                + "{\"PathOnHost\":\"/dev/full\",\"PathInContainer\":\"/dev/f\",\"CgroupPermissions\":\"rwm\"}]");
        assertThat(hc.path("DeviceCgroupRules").toString()).isEqualTo("[\"c 1:3 rwm\"]");
        assertThatThrownBy(() -> DeviceOption.parse("/dev/null:/dev/n:rwx")).hasMessage("bad mode specified: rwx");
        assertThatThrownBy(() -> DeviceOption.parse("/dev/null:dev/n")).hasMessage("dev/n is not an absolute path");
        assertThatThrownBy(() -> DeviceOption.parse("/a:/b:r:x")).hasMessage("invalid device specification: /a:/b:r:x");
        assertThatThrownBy(() -> DeviceOption.parse(":/b")).hasMessage("invalid device specification: :/b");
    }
}
