package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.MountPoint;
import io.berth.runtime.MountPoint.Kind;
import io.berth.runtime.MountPoint.Origin;
import io.berth.runtime.MountsSpec;

class MountRequestsTest {
    @TempDir
    Path tmp;

    private static MountsSpec parse(String hostConfig) throws IOException {
        return MountRequests.parse(ApiJson.MAPPER.readTree(hostConfig));
    }

    private static void rejects(String hostConfig, String message) throws IOException {
        JsonNode node = ApiJson.MAPPER.readTree(hostConfig);
        assertThatThrownBy(() -> MountRequests.parse(node)).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }

    @Test
    void bindsTakeDockersModes() {
        Path src = tmp.resolve("src");
        assertThat(MountRequests.bind(src + ":/data")).isEqualTo(
                MountPoint.bind(Origin.BINDS, src.toString(), "/data", false, "", "rprivate"));
        assertThat(Files.isDirectory(src)).as("a missing host path is created, as Docker's -v does").isTrue();
        assertThat(MountRequests.bind(src + ":/data:ro")).isEqualTo(
                MountPoint.bind(Origin.BINDS, src.toString(), "/data", true, "ro", "rprivate"));
        assertThat(MountRequests.bind(src + "/:/data/../data//x/:rw,Z,rslave")).isEqualTo(
                MountPoint.bind(Origin.BINDS, src.toString(), "/data/x", false, "rw,Z,rslave", "rslave"));
        assertThat(MountRequests.bind(src + ":/d:z").mode()).isEqualTo("z");
    }

    @Test
    void badBindsAreRefusedWithDockersMessages() throws IOException {
        Path src = tmp.resolve("src");
        rejects("{\"Binds\":[\"" + src + ":data\"]}", "invalid volume specification: '" + src
                + ":data': invalid mount config for type \"bind\": invalid mount path: 'data' mount path must be absolute");
        rejects("{\"Binds\":[\"" + src + ":/data:rx\"]}", "invalid volume specification: '" + src + ":/data:rx': invalid mode: rx");
        rejects("{\"Binds\":[\"" + src + ":/data:ro,rw\"]}", "invalid volume specification: '" + src + ":/data:ro,rw': invalid mode: ro,rw");
        rejects("{\"Binds\":[\"" + src + ":/data:nocopy\"]}", "invalid volume specification: '" + src + ":/data:nocopy': invalid mode: nocopy");
        rejects("{\"Binds\":[\"" + src + ":/\"]}", "invalid specification: destination can't be '/'");
        rejects("{\"Binds\":[\"" + src + ":/a:ro:x\"]}", "invalid volume specification: '" + src + ":/a:ro:x'");
        rejects("{\"Binds\":[\"" + src + ":/a\",\"" + src + ":/a/\"]}", "Duplicate mount point: /a");
        rejects("{\"Binds\":[\"/data\"]}", "berth does not support anonymous volumes in HostConfig.Binds yet: /data");
        rejects("{\"Binds\":[\"cache:/data\"]}", "berth does not support named volumes in HostConfig.Binds yet: cache:/data");
    }

    @Test
    void mountsOfTypeBindNeedAnExistingSource() throws IOException {
        MountsSpec spec = parse("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/data\",\"ReadOnly\":true,"
                + "\"BindOptions\":{\"Propagation\":\"rshared\"}}]}");
        assertThat(spec.mounts()).containsExactly(MountPoint.bind(Origin.MOUNTS, tmp.toString(), "/data", true, "", "rshared"));
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "/x\",\"Target\":\"/data\"}]}",
                "invalid mount config for type \"bind\": bind source path does not exist: " + tmp + "/x");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Target\":\"/data\"}]}", "invalid mount config for type \"bind\": field Source must not be empty");
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\"}]}", "invalid mount config for type \"bind\": field Target must not be empty");
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/d\",\"TmpfsOptions\":{\"SizeBytes\":1}}]}",
                "invalid mount config for type \"bind\": TmpfsOptions must not be specified on mount type \"bind\"");
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/d\",\"BindOptions\":{\"NonRecursive\":true}}]}",
                "berth does not support HostConfig.Mounts.BindOptions.NonRecursive yet");
        rejects("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/d\",\"BindOptions\":{\"Propagation\":\"up\"}}]}",
                "invalid mount config for type \"bind\": invalid propagation mode: up");
        rejects("{\"Mounts\":[{\"Type\":\"npipe\",\"Target\":\"/d\"}]}", "berth does not support HostConfig.Mounts of type \"npipe\"");
        // empty option structs, as the docker CLI sends them, are fine
        parse("{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"" + tmp + "\",\"Target\":\"/d\",\"VolumeOptions\":null,\"BindOptions\":{}}]}");
    }

    @Test
    void tmpfsFromTmpfsAndMounts() throws IOException {
        MountsSpec spec = parse("{\"Tmpfs\":{\"/run\":\"size=64m,mode=1777\",\"/ro\":\"ro\",\"/x\":\"\"},"
                + "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/cache\",\"TmpfsOptions\":{\"SizeBytes\":1048576,\"Mode\":1016}}]}");
        assertThat(spec.mounts()).containsExactly(
                MountPoint.tmpfs(Origin.MOUNTS, "/cache", false, java.util.List.of("size=1048576", "mode=1770")),
                MountPoint.tmpfs(Origin.TMPFS, "/run", false, java.util.List.of("size=64m", "mode=1777")),
                MountPoint.tmpfs(Origin.TMPFS, "/ro", true, java.util.List.of("ro")),
                MountPoint.tmpfs(Origin.TMPFS, "/x", false, java.util.List.of()));
        assertThat(spec.mounts()).allMatch(m -> m.kind() == Kind.TMPFS);
        rejects("{\"Tmpfs\":{\"/run\":\"size=64m,mode=999\"}}", "invalid tmpfs option \"mode=999\"");
        rejects("{\"Tmpfs\":{\"/run\":\"context=x\"}}", "invalid tmpfs option \"context=x\"");
        rejects("{\"Tmpfs\":{\"run\":\"\"}}", "invalid mount config for type \"tmpfs\": invalid mount path: 'run' mount path must be absolute");
        rejects("{\"Mounts\":[{\"Type\":\"tmpfs\",\"Source\":\"x\",\"Target\":\"/d\"}]}",
                "invalid mount config for type \"tmpfs\": field Source must not be specified");
        rejects("{\"Tmpfs\":{\"/d\":\"\"},\"Binds\":[\"" + tmp + ":/d\"]}", "Duplicate mount point: /d");
    }
}
