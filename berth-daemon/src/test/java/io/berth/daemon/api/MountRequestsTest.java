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
        rejects("{\"Binds\":[\"cache:/data:rshared\"]}", "invalid volume specification: 'cache:/data:rshared': invalid mode: rshared");
        rejects("{\"Binds\":[\"ca/che:/data\"]}", "invalid volume specification: 'ca/che:/data': create ca/che: \"ca/che\" includes invalid characters"
                + " for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
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

    /** Records what was provided: a named volume keeps its name, an anonymous one gets a generated one. */
    private static final class FakeVolumes implements ContainerVolumes {
        final java.util.List<String> provided = new java.util.ArrayList<>();

        @Override
        public Provided provide(String name) {
            String n = name.isEmpty() ? "anon" + provided.size() : name;
            provided.add(n);
            return new Provided(n, Path.of("/vols", n, "_data"));
        }

        @Override
        public void removeAnonymous(io.berth.runtime.ContainerSpec spec) {}
    }

    @Test
    void volumesFromBindsMountsAndConfigVolumes() throws IOException {
        FakeVolumes volumes = new FakeVolumes();
        MountsSpec spec = MountRequests.parse(ApiJson.MAPPER.readTree("{\"Binds\":[\"db:/db:ro,nocopy\",\"/single\"],"
                + "\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"cache\",\"Target\":\"/c\",\"VolumeOptions\":{\"NoCopy\":true}},"
                + "{\"Type\":\"volume\",\"Target\":\"/m\"}]}"),
                ApiJson.MAPPER.readTree("{\"/data\":{},\"/db\":{}}"), volumes);
        assertThat(spec.mounts()).containsExactly(
                MountPoint.volume(Origin.BINDS, "db", "/vols/db/_data", "/db", true, "ro,nocopy", false, false),
                MountPoint.volume(Origin.BINDS, "anon1", "/vols/anon1/_data", "/single", false, "", true, true),
                MountPoint.volume(Origin.MOUNTS, "cache", "/vols/cache/_data", "/c", false, "", false, false),
                MountPoint.volume(Origin.MOUNTS, "anon3", "/vols/anon3/_data", "/m", false, "", true, true),
                // Config.Volumes' /db is the bind's: only /data gets an anonymous volume
                MountPoint.volume(Origin.VOLUMES, "anon4", "/vols/anon4/_data", "/data", false, "", true, true));
        assertThat(spec.anonymousVolumes()).containsExactly("anon1", "anon3", "anon4");
        assertThat(spec.usesVolume("db")).isTrue();
        assertThat(spec.usesVolume("nope")).isFalse();

        // a refused request provides no volume at all
        FakeVolumes none = new FakeVolumes();
        assertThatThrownBy(() -> MountRequests.parse(ApiJson.MAPPER.readTree("{\"Binds\":[\"db:/db\",\"/x:y\"]}"), null, none))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> MountRequests.parse(ApiJson.MAPPER.readTree(
                "{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/m\",\"VolumeOptions\":{\"Labels\":{\"a\":\"b\"}}}]}"), null, none))
                .hasMessage("berth does not support HostConfig.Mounts.VolumeOptions.Labels yet");
        assertThat(none.provided).isEmpty();
    }
}
