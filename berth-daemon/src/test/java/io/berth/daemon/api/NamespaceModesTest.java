package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.DeviceMapping;
import io.berth.runtime.NamespacesSpec;

/** PidMode, IpcMode, UTSMode, UsernsMode, CgroupnsMode, Devices, DeviceCgroupRules and GroupAdd at create and in inspect. */
class NamespaceModesTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String OTHER = "fedcba9876543210".repeat(4);
    private static final ImageDefaults BUSYBOX = new ImageDefaults("sha256:" + "b".repeat(64),
            List.of(), List.of("sh"), List.of("PATH=/bin"), "", "", null, Map.of());

    private final CreateRequestTranslator translator = new CreateRequestTranslator(new SecurityOptions.HostLsm(false, false), 2,
            ContainerVolumes.NONE, NetworkResolver.PREDEFINED, c -> {
                if (c.equals("db") || c.equals(OTHER)) return OTHER;
                throw new NotFoundException("No such container: " + c);
            });

    private ContainerSpec translate(String hostConfig) throws IOException {
        return translate("", hostConfig);
    }

    private ContainerSpec translate(String config, String hostConfig) throws IOException {
        JsonNode body = ApiJson.MAPPER.readTree("{\"Image\":\"busybox\"" + config + ",\"HostConfig\":{" + hostConfig + "}}");
        return translator.translate(ID, "web", body, BUSYBOX, List.of(Path.of("/l")));
    }

    private void rejects(String hostConfig, String message) {
        assertThatThrownBy(() -> translate(hostConfig)).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }

    private Map<String, Object> inspect(String hostConfig) throws IOException {
        return ContainerView.hostConfig(translate(hostConfig), "crun");
    }

    @Test
    void modesAreDockersWithContainersResolvedToTheirIds() throws IOException {
        assertThat(translate("").namespaces()).isEqualTo(new NamespacesSpec("", "private", "", HostProbe.system().cgroupV2() ? "private" : "host"));
        NamespacesSpec ns = translate("\"PidMode\":\"container:db\",\"IpcMode\":\"container:db\",\"UTSMode\":\"host\","
                + "\"UsernsMode\":\"host\",\"CgroupnsMode\":\"private\"").namespaces();
        assertThat(ns).isEqualTo(new NamespacesSpec("container:" + OTHER, "container:" + OTHER, "host", "private"));
        for (String ipc : List.of("none", "private", "shareable", "host")) {
            assertThat(translate("\"IpcMode\":\"" + ipc + "\"").namespaces().ipc()).isEqualTo(ipc);
        }
        assertThat(translate("\"PidMode\":\"host\",\"CgroupnsMode\":\"host\"").namespaces())
                .extracting(NamespacesSpec::pid, NamespacesSpec::cgroup).containsExactly("host", "host");
    }

    @Test
    void badModesGetDockersMessages() {
        rejects("\"PidMode\":\"bogus\"", "invalid PID mode: bogus");
        rejects("\"PidMode\":\"container:\"", "invalid PID mode: container:");
        rejects("\"IpcMode\":\"bogus\"", "invalid IPC mode: bogus");
        rejects("\"UTSMode\":\"container:db\"", "invalid UTS mode: container:db");
        rejects("\"CgroupnsMode\":\"bogus\"", "invalid cgroup namespace mode: bogus");
        rejects("\"PidMode\":\"container:nosuch\"", "No such container: nosuch");
        rejects("\"IpcMode\":\"container:nosuch\"", "No such container: nosuch");
        // berth has no user namespaces: only the value that says so
        rejects("\"UsernsMode\":\"private\"", "berth does not support HostConfig.UsernsMode=private yet");
        assertThatThrownBy(() -> translate(",\"Hostname\":\"web\"", "\"UTSMode\":\"host\"")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("conflicting options: hostname and the UTS mode");
    }

    @Test
    void devicesRulesAndGroups() throws IOException {
        ContainerSpec s = translate("\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"},"
                + "{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"r\"},{\"PathOnHost\":\"/dev/zero\"}],"
                + "\"DeviceCgroupRules\":[\"c 1:3 rwm\",\"a *:* m\"],\"GroupAdd\":[\"123\",\"audio\"]");
        assertThat(s.security().devices()).containsExactly(new DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"),
                new DeviceMapping("/dev/null", "/dev/mynull", "r"), new DeviceMapping("/dev/zero", "/dev/zero", "rwm"));
        assertThat(s.security().deviceCgroupRules()).containsExactly("c 1:3 rwm", "a *:* m");
        assertThat(s.process().groupAdd()).containsExactly("123", "audio");
        rejects("\"DeviceCgroupRules\":[\"c 1:3\"]", "invalid device cgroup rule format: 'c 1:3'");
        rejects("\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"dev/fuse\"}]", "dev/fuse is not an absolute path");
        rejects("\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/../etc/passwd\"}]", "/dev/../etc/passwd is not an absolute path");
        rejects("\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"CgroupPermissions\":\"rwx\"}]", "bad mode specified: rwx");
        rejects("\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"CgroupPermissions\":\"rr\"}]", "bad mode specified: rr");
        rejects("\"Devices\":[{\"PathInContainer\":\"/dev/fuse\"}]", "bad format for path: ");
    }

    @Test
    void inspectShowsTheModesAsSentAndTheDefaultsAsApplied() throws IOException {
        Map<String, Object> none = inspect("");
        assertThat(none).containsEntry("IpcMode", "private").containsEntry("PidMode", "").containsEntry("UTSMode", "")
                .containsEntry("UsernsMode", "").containsEntry("CgroupnsMode", HostProbe.system().cgroupV2() ? "private" : "host")
                .containsEntry("GroupAdd", null).containsEntry("DeviceCgroupRules", null);
        assertThat(none.get("Devices")).isEqualTo(List.of());
        Map<String, Object> set = inspect("\"PidMode\":\"container:db\",\"IpcMode\":\"shareable\",\"UTSMode\":\"host\",\"UsernsMode\":\"host\","
                + "\"CgroupnsMode\":\"private\",\"GroupAdd\":[\"123\"],\"DeviceCgroupRules\":[\"c 1:3 r\"],"
                + "\"Devices\":[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"}]");
        assertThat(set).containsEntry("PidMode", "container:db").containsEntry("IpcMode", "shareable").containsEntry("UTSMode", "host")
                .containsEntry("UsernsMode", "host").containsEntry("CgroupnsMode", "private").containsEntry("GroupAdd", List.of("123"));
        assertThat(ApiJson.MAPPER.valueToTree(set.get("Devices")).toString())
                .isEqualTo("[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"}]");
        assertThat(ApiJson.MAPPER.valueToTree(set.get("DeviceCgroupRules")).toString()).isEqualTo("[\"c 1:3 r\"]");
    }
}
