package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.MountsSpec;

/**
 * Every field of the Engine API v1.43 create body (ContainerConfig, HostConfig, NetworkingConfig), one row each:
 * either applied, with an example value and what inspect then shows, or refused with a 400 whose message names
 * the field. Nothing is accepted and dropped. The host is described (2 CPUs, real-time CPU and a blkio weight
 * available), not this machine's; ResourceLimitsTest covers a host without them. A field that another change
 * implements moves from refused to applied in its row. docs/create-fields.md is the same table for readers.
 */
class CreateFieldsTableTest {
    /** swagger v1.43 definitions/ContainerConfig */
    static final Set<String> CONTAINER_CONFIG = Set.of("Hostname", "Domainname", "User", "AttachStdin", "AttachStdout",
            "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck", "ArgsEscaped",
            "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled", "MacAddress", "OnBuild", "Labels",
            "StopSignal", "StopTimeout", "Shell");
    /** swagger v1.43 definitions/HostConfig (with Resources), plus KernelMemory, which Go clients still send */
    static final Set<String> HOST_CONFIG = Set.of("CpuShares", "Memory", "CgroupParent", "BlkioWeight",
            "BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps",
            "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus", "CpusetMems", "Devices",
            "DeviceCgroupRules", "DeviceRequests", "KernelMemoryTCP", "MemoryReservation", "MemorySwap",
            "MemorySwappiness", "NanoCpus", "OomKillDisable", "Init", "PidsLimit", "Ulimits", "CpuCount", "CpuPercent",
            "IOMaximumIOps", "IOMaximumBandwidth", "Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings",
            "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom", "Mounts", "ConsoleSize", "Annotations",
            "CapAdd", "CapDrop", "CgroupnsMode", "Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd", "IpcMode",
            "Cgroup", "Links", "OomScoreAdj", "PidMode", "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt",
            "StorageOpt", "Tmpfs", "UTSMode", "UsernsMode", "ShmSize", "Sysctls", "Runtime", "Isolation", "MaskedPaths",
            "ReadonlyPaths", "KernelMemory");
    static final Set<String> NETWORKING_CONFIG = Set.of("EndpointsConfig");

    private static final String ID = "0123456789abcdef".repeat(4);
    private static final ImageDefaults BUSYBOX = new ImageDefaults("sha256:" + "b".repeat(64), List.of(), List.of("sh"),
            List.of("PATH=/usr/local/sbin:/usr/bin:/bin"), "", "", null, Map.of());
    private static final ResourceHost HOST = new ResourceHost(2, "0-1", "0", true, true, Map.of(), -1000);
    private static final String DISK = blockDevice();

    /**
     * One field: {@code value} is its example (JSON); {@code with} other HostConfig fields it needs (JSON object
     * members, or ""); an applied row names where inspect shows it ({@code shown}: "Config.X" or "HostConfig.X") and
     * what it shows there (JSON; an array or object shown must contain it).
     */
    record Row(String field, boolean applied, String value, String with, String shown, String expected) {
        String section() {
            return field.substring(0, field.indexOf('.'));
        }

        String name() {
            return field.substring(field.indexOf('.') + 1);
        }
    }

    static Row applied(String field, String value, String shown, String expected) {
        return new Row(field, true, value, "", shown, expected);
    }

    static Row applied(String field, String value, String with, String shown, String expected) {
        return new Row(field, true, value, with, shown, expected);
    }

    static Row refused(String field, String value) {
        return new Row(field, false, value, "", null, null);
    }

    static final List<Row> TABLE = List.of(
            // ContainerConfig
            applied("Config.Hostname", "\"web1\"", "Config.Hostname", "\"web1\""),
            refused("Config.Domainname", "\"example.org\""),
            applied("Config.User", "\"1000:1000\"", "Config.User", "\"1000:1000\""),
            applied("Config.AttachStdin", "true", "Config.AttachStdin", "true"),
            applied("Config.AttachStdout", "true", "Config.AttachStdout", "true"),
            applied("Config.AttachStderr", "true", "Config.AttachStderr", "true"),
            applied("Config.ExposedPorts", "{\"80/tcp\":{}}", "Config.ExposedPorts", "{\"80/tcp\":{}}"),
            applied("Config.Tty", "true", "Config.Tty", "true"),
            applied("Config.OpenStdin", "true", "Config.OpenStdin", "true"),
            applied("Config.StdinOnce", "true", "Config.StdinOnce", "true"),
            applied("Config.Env", "[\"A=1\"]", "Config.Env", "[\"A=1\"]"),
            applied("Config.Cmd", "[\"echo\",\"hi\"]", "Config.Cmd", "[\"echo\",\"hi\"]"),
            applied("Config.Healthcheck", "{\"Test\":[\"CMD\",\"true\"],\"Retries\":2}", "Config.Healthcheck",
                    "{\"Test\":[\"CMD\",\"true\"],\"Retries\":2}"),
            refused("Config.ArgsEscaped", "true"),
            applied("Config.Image", "\"busybox\"", "Config.Image", "\"busybox\""),
            applied("Config.Volumes", "{\"/data\":{}}", "Config.Volumes", "{\"/data\":{}}"),
            applied("Config.WorkingDir", "\"/tmp\"", "Config.WorkingDir", "\"/tmp\""),
            applied("Config.Entrypoint", "[\"sh\",\"-c\"]", "Config.Entrypoint", "[\"sh\",\"-c\"]"),
            applied("Config.NetworkDisabled", "true", "Config.NetworkDisabled", "true"),
            applied("Config.MacAddress", "\"02:42:ac:11:00:09\"", "Config.MacAddress", "\"02:42:ac:11:00:09\""),
            refused("Config.OnBuild", "[\"RUN true\"]"),
            applied("Config.Labels", "{\"tier\":\"web\"}", "Config.Labels", "{\"tier\":\"web\"}"),
            applied("Config.StopSignal", "\"SIGINT\"", "Config.StopSignal", "\"SIGINT\""),
            applied("Config.StopTimeout", "5", "Config.StopTimeout", "5"),
            refused("Config.Shell", "[\"/bin/bash\",\"-c\"]"),
            // HostConfig: resources
            applied("HostConfig.CpuShares", "512", "HostConfig.CpuShares", "512"),
            applied("HostConfig.Memory", "67108864", "HostConfig.Memory", "67108864"),
            refused("HostConfig.CgroupParent", "\"/custom\""),
            applied("HostConfig.BlkioWeight", "300", "HostConfig.BlkioWeight", "300"),
            refused("HostConfig.BlkioWeightDevice", "[{\"Path\":\"" + DISK + "\",\"Weight\":300}]"),
            applied("HostConfig.BlkioDeviceReadBps", "[{\"Path\":\"" + DISK + "\",\"Rate\":1048576}]",
                    "HostConfig.BlkioDeviceReadBps", "[{\"Path\":\"" + DISK + "\",\"Rate\":1048576}]"),
            applied("HostConfig.BlkioDeviceWriteBps", "[{\"Path\":\"" + DISK + "\",\"Rate\":2097152}]",
                    "HostConfig.BlkioDeviceWriteBps", "[{\"Path\":\"" + DISK + "\",\"Rate\":2097152}]"),
            applied("HostConfig.BlkioDeviceReadIOps", "[{\"Path\":\"" + DISK + "\",\"Rate\":100}]",
                    "HostConfig.BlkioDeviceReadIOps", "[{\"Path\":\"" + DISK + "\",\"Rate\":100}]"),
            applied("HostConfig.BlkioDeviceWriteIOps", "[{\"Path\":\"" + DISK + "\",\"Rate\":50}]",
                    "HostConfig.BlkioDeviceWriteIOps", "[{\"Path\":\"" + DISK + "\",\"Rate\":50}]"),
            applied("HostConfig.CpuPeriod", "50000", "HostConfig.CpuPeriod", "50000"),
            applied("HostConfig.CpuQuota", "25000", "HostConfig.CpuQuota", "25000"),
            applied("HostConfig.CpuRealtimePeriod", "1000000", "HostConfig.CpuRealtimePeriod", "1000000"),
            applied("HostConfig.CpuRealtimeRuntime", "10000", "HostConfig.CpuRealtimeRuntime", "10000"),
            applied("HostConfig.CpusetCpus", "\"1\"", "HostConfig.CpusetCpus", "\"1\""),
            applied("HostConfig.CpusetMems", "\"0\"", "HostConfig.CpusetMems", "\"0\""),
            applied("HostConfig.Devices", "[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/x\",\"CgroupPermissions\":\"rwm\"}]",
                    "HostConfig.Devices", "[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/x\",\"CgroupPermissions\":\"rwm\"}]"),
            applied("HostConfig.DeviceCgroupRules", "[\"c 1:3 rwm\"]", "HostConfig.DeviceCgroupRules", "[\"c 1:3 rwm\"]"),
            refused("HostConfig.DeviceRequests", "[{\"Driver\":\"nvidia\",\"Count\":-1}]"),
            refused("HostConfig.KernelMemoryTCP", "1048576"),
            refused("HostConfig.KernelMemory", "67108864"),
            applied("HostConfig.MemoryReservation", "33554432", "HostConfig.MemoryReservation", "33554432"),
            applied("HostConfig.MemorySwap", "-1", "\"Memory\":67108864", "HostConfig.MemorySwap", "-1"),
            applied("HostConfig.MemorySwappiness", "10", "HostConfig.MemorySwappiness", "10"),
            applied("HostConfig.NanoCpus", "1500000000", "HostConfig.NanoCpus", "1500000000"),
            applied("HostConfig.OomKillDisable", "true", "\"Memory\":67108864", "HostConfig.OomKillDisable", "true"),
            applied("HostConfig.Init", "true", "HostConfig.Init", "true"),
            applied("HostConfig.PidsLimit", "100", "HostConfig.PidsLimit", "100"),
            applied("HostConfig.Ulimits", "[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}]", "HostConfig.Ulimits",
                    "[{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}]"),
            refused("HostConfig.CpuCount", "2"),
            refused("HostConfig.CpuPercent", "50"),
            refused("HostConfig.IOMaximumIOps", "100"),
            refused("HostConfig.IOMaximumBandwidth", "1048576"),
            // HostConfig: the rest
            applied("HostConfig.Binds", "[\"/tmp:/mnt:ro\"]", "HostConfig.Binds", "[\"/tmp:/mnt:ro\"]"),
            applied("HostConfig.ContainerIDFile", "\"/tmp/cid\"", "HostConfig.ContainerIDFile", "\"/tmp/cid\""),
            applied("HostConfig.LogConfig", "{\"Type\":\"local\",\"Config\":{\"max-file\":\"3\"}}", "HostConfig.LogConfig",
                    "{\"Type\":\"local\",\"Config\":{\"max-file\":\"3\"}}"),
            applied("HostConfig.NetworkMode", "\"none\"", "HostConfig.NetworkMode", "\"none\""),
            applied("HostConfig.PortBindings", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}", "HostConfig.PortBindings",
                    "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}"),
            applied("HostConfig.RestartPolicy", "{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}", "HostConfig.RestartPolicy",
                    "{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}"),
            applied("HostConfig.AutoRemove", "true", "HostConfig.AutoRemove", "true"),
            refused("HostConfig.VolumeDriver", "\"nfs\""),
            applied("HostConfig.VolumesFrom", "[\"other:ro\"]", "HostConfig.VolumesFrom", "[\"other:ro\"]"),
            applied("HostConfig.Mounts", "[{\"Type\":\"tmpfs\",\"Target\":\"/scratch\"}]", "HostConfig.Mounts",
                    "[{\"Type\":\"tmpfs\",\"Target\":\"/scratch\"}]"),
            applied("HostConfig.ConsoleSize", "[24,80]", "HostConfig.ConsoleSize", "[24,80]"),
            refused("HostConfig.Annotations", "{\"a\":\"b\"}"),
            applied("HostConfig.CapAdd", "[\"NET_ADMIN\"]", "HostConfig.CapAdd", "[\"NET_ADMIN\"]"),
            applied("HostConfig.CapDrop", "[\"CHOWN\"]", "HostConfig.CapDrop", "[\"CHOWN\"]"),
            applied("HostConfig.CgroupnsMode", "\"private\"", "HostConfig.CgroupnsMode", "\"private\""),
            applied("HostConfig.Dns", "[\"192.0.2.53\"]", "HostConfig.Dns", "[\"192.0.2.53\"]"),
            applied("HostConfig.DnsOptions", "[\"ndots:2\"]", "HostConfig.DnsOptions", "[\"ndots:2\"]"),
            applied("HostConfig.DnsSearch", "[\"example.org\"]", "HostConfig.DnsSearch", "[\"example.org\"]"),
            applied("HostConfig.ExtraHosts", "[\"db:192.0.2.2\"]", "HostConfig.ExtraHosts", "[\"db:192.0.2.2\"]"),
            applied("HostConfig.GroupAdd", "[\"audio\"]", "HostConfig.GroupAdd", "[\"audio\"]"),
            applied("HostConfig.IpcMode", "\"host\"", "HostConfig.IpcMode", "\"host\""),
            refused("HostConfig.Cgroup", "\"x\""),
            // a legacy link: inspect shows it in Docker's form under the linked container's current name (LinksTest)
            applied("HostConfig.Links", "[\"linked-db:db\"]", null, null),
            applied("HostConfig.OomScoreAdj", "500", "HostConfig.OomScoreAdj", "500"),
            applied("HostConfig.PidMode", "\"host\"", "HostConfig.PidMode", "\"host\""),
            applied("HostConfig.Privileged", "true", "HostConfig.Privileged", "true"),
            applied("HostConfig.PublishAllPorts", "true", "HostConfig.PublishAllPorts", "true"),
            applied("HostConfig.ReadonlyRootfs", "true", "HostConfig.ReadonlyRootfs", "true"),
            applied("HostConfig.SecurityOpt", "[\"no-new-privileges\"]", "HostConfig.SecurityOpt", "[\"no-new-privileges\"]"),
            refused("HostConfig.StorageOpt", "{\"size\":\"10G\"}"),
            applied("HostConfig.Tmpfs", "{\"/run\":\"size=64m\"}", "HostConfig.Tmpfs", "{\"/run\":\"size=64m\"}"),
            applied("HostConfig.UTSMode", "\"host\"", "HostConfig.UTSMode", "\"host\""),
            applied("HostConfig.UsernsMode", "\"host\"", "HostConfig.UsernsMode", "\"host\""),
            applied("HostConfig.ShmSize", "134217728", "HostConfig.ShmSize", "134217728"),
            applied("HostConfig.Sysctls", "{\"net.ipv4.ip_forward\":\"1\"}", "HostConfig.Sysctls", "{\"net.ipv4.ip_forward\":\"1\"}"),
            applied("HostConfig.Runtime", "\"runc\"", "HostConfig.Runtime", "\"runc\""),
            refused("HostConfig.Isolation", "\"hyperv\""),
            refused("HostConfig.MaskedPaths", "[\"/proc/x\"]"),
            refused("HostConfig.ReadonlyPaths", "[\"/proc/y\"]"),
            // NetworkingConfig: inspect shows the endpoint under NetworkSettings (ContainerNetworkRequestsTest)
            applied("NetworkingConfig.EndpointsConfig", "{\"bridge\":{\"MacAddress\":\"02:42:ac:11:00:0a\"}}", null, null));

    private final CreateRequestTranslator translator = new CreateRequestTranslator(new SecurityOptions.HostLsm(false, false),
            HOST, new FakeVolumes(), NetworkResolver.PREDEFINED, c -> {
                if (c.equals("linked-db")) return "d".repeat(64);
                throw new io.berth.oci.errors.NotFoundException("No such container: " + c);
            });

    @Test
    void theTableHasEveryFieldOfTheV143CreateBodyOnce() {
        Map<String, Long> counts = TABLE.stream().collect(Collectors.groupingBy(Row::field, LinkedHashMap::new, Collectors.counting()));
        assertThat(counts.values()).allMatch(n -> n == 1);
        Set<String> expected = new TreeSet<>();
        CONTAINER_CONFIG.forEach(f -> expected.add("Config." + f));
        HOST_CONFIG.forEach(f -> expected.add("HostConfig." + f));
        NETWORKING_CONFIG.forEach(f -> expected.add("NetworkingConfig." + f));
        assertThat(new TreeSet<>(counts.keySet())).isEqualTo(expected);
        // every field berth reads is in the API's list (a typo in UnsupportedFields would read nothing)
        assertThat(CONTAINER_CONFIG).containsAll(UnsupportedFields.CONFIG.stream()
                .filter(f -> !f.equals("HostConfig") && !f.equals("NetworkingConfig")).toList());
        assertThat(HOST_CONFIG).containsAll(UnsupportedFields.HOST_CONFIG);
    }

    @TestFactory
    Stream<DynamicTest> eachFieldIsAppliedAndShownOrRefusedByName() {
        return TABLE.stream().map(row -> DynamicTest.dynamicTest(row.field() + (row.applied() ? " applied " : " refused ") + row.value(), () -> {
            ObjectNode body = (ObjectNode) ApiJson.MAPPER.readTree("{\"Image\":\"busybox\",\"HostConfig\":{" + row.with() + "}}");
            JsonNode value = ApiJson.MAPPER.readTree(row.value());
            switch (row.section()) {
                case "Config" -> body.set(row.name(), value);
                case "HostConfig" -> ((ObjectNode) body.get("HostConfig")).set(row.name(), value);
                default -> body.putObject("NetworkingConfig").set(row.name(), value);
            }
            if (!row.applied()) {
                assertThatThrownBy(() -> create(body)).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining(row.name());
                return;
            }
            ContainerSpec spec = create(body);
            if (row.shown() == null) return;
            JsonNode inspect = ApiJson.MAPPER.valueToTree(Map.of("Config", ContainerView.config(spec),
                    "HostConfig", ContainerView.hostConfig(spec, spec.lifecycle().runtime() == null ? "crun" : spec.lifecycle().runtime())));
            JsonNode shown = inspect.path(row.shown().substring(0, row.shown().indexOf('.')))
                    .path(row.shown().substring(row.shown().indexOf('.') + 1));
            JsonNode expected = ApiJson.MAPPER.readTree(row.expected());
            if (expected.isArray()) {
                assertThat(shown.isArray()).as(row.shown() + " = " + shown).isTrue();
                expected.forEach(e -> assertThat(contains(shown, e)).as(row.shown() + " = " + shown + " has " + e).isTrue());
            } else if (expected.isObject()) {
                assertThat(contains(shown, expected)).as(row.shown() + " = " + shown + " has " + expected).isTrue();
            } else {
                assertThat(contains(shown, expected)).as(row.shown() + " = " + shown + ", expected " + expected).isTrue();
            }
        }));
    }

    private ContainerSpec create(JsonNode body) {
        BodyTypes.create(body);
        return translator.translate(ID, "t", body, BUSYBOX, List.of(Path.of("/layers/0")), "1.43").spec();
    }

    /** An object has the expected one's members (recursively), an array one element that has it, a value is equal. */
    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (actual.isArray() && !expected.isArray()) {
            for (JsonNode a : actual) {
                if (contains(a, expected)) return true;
            }
            return false;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) return false;
            for (var e : expected.properties()) {
                if (!actual.has(e.getKey()) || !contains(actual.get(e.getKey()), e.getValue())) return false;
            }
            return true;
        }
        if (actual.isNumber() && expected.isNumber()) return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        return actual.equals(expected);
    }

    /** Volumes in a temp dir, and an "other" container without mounts (VolumesFrom). */
    private static final class FakeVolumes implements ContainerVolumes {
        @Override
        public Provided provide(String name) {
            try {
                return new Provided(name.isEmpty() ? "anon" : name, Files.createTempDirectory("vol"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public MountsSpec mountsOf(String container) {
            if (container.equals("other")) return MountsSpec.NONE;
            return ContainerVolumes.super.mountsOf(container);
        }

        @Override
        public void removeAnonymous(ContainerSpec spec) {}
    }

    /** A block device node of this machine (the throttles are checked against a real one). */
    private static String blockDevice() {
        try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
            return dev.sorted().filter(d -> Files.exists(Path.of("/sys/block", d.getFileName().toString(), "dev")))
                    .findFirst().orElseThrow().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
