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
        final java.util.Map<String, MountsSpec> containers = new java.util.HashMap<>();

        @Override
        public MountsSpec mountsOf(String container) {
            MountsSpec m = containers.get(container);
            if (m == null) return ContainerVolumes.super.mountsOf(container);
            return m;
        }

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

    @Test
    void volumesFromTakesTheOtherContainersVolumesAndBindsWithDockersModes() throws IOException {
        FakeVolumes volumes = new FakeVolumes();
        MountPoint data = MountPoint.volume(Origin.BINDS, "data", "/vols/data/_data", "/data", false, "", false, true);
        MountPoint anon = MountPoint.volume(Origin.VOLUMES, "a1", "/vols/a1/_data", "/anon", false, "", true, true);
        MountPoint roBind = MountPoint.bind(Origin.BINDS, "/srv", "/srv", true, "ro", "rslave");
        MountPoint tmp = MountPoint.tmpfs(Origin.TMPFS, "/run", false, java.util.List.of());
        volumes.containers.put("a", new MountsSpec(java.util.List.of(data, anon, roBind, tmp)));
        volumes.containers.put("b", new MountsSpec(java.util.List.of(
                MountPoint.bind(Origin.MOUNTS, "/other", "/data", false, "", "rprivate"))));

        // read-write by default: each copy keeps its own mode (the ro bind stays ro), no copy-up, no tmpfs
        MountsSpec rw = MountRequests.parse(ApiJson.MAPPER.readTree("{\"VolumesFrom\":[\"a\"]}"), null, volumes);
        assertThat(rw.mounts()).containsExactly(
                MountPoint.volume(Origin.BINDS, "data", "/vols/data/_data", "/data", false, "", false, false),
                MountPoint.volume(Origin.VOLUMES, "a1", "/vols/a1/_data", "/anon", false, "", true, false),
                MountPoint.bind(Origin.BINDS, "/srv", "/srv", true, "ro", "rslave"));
        assertThat(rw.usesVolume("data")).as("the new container is a user of the volume").isTrue();
        assertThat(volumes.provided).as("nothing is created for a shared volume").isEmpty();

        // :ro makes every copy read-only; an explicit rw never widens a read-only one
        assertThat(MountRequests.parse(ApiJson.MAPPER.readTree("{\"VolumesFrom\":[\"a:ro\"]}"), null, volumes).mounts())
                .allMatch(MountPoint::readOnly).hasSize(3);
        assertThat(MountRequests.parse(ApiJson.MAPPER.readTree("{\"VolumesFrom\":[\"a:rw,z\"]}"), null, volumes).mounts())
                .extracting(MountPoint::readOnly).containsExactly(false, false, true);

        // a later entry wins at a shared destination; the request's own binds win over all; Config.Volumes adds nothing there
        MountsSpec mixed = MountRequests.parse(ApiJson.MAPPER.readTree(
                "{\"VolumesFrom\":[\"a\",\"b\"],\"Binds\":[\"mine:/anon\"]}"),
                ApiJson.MAPPER.readTree("{\"/srv\":{}}"), volumes);
        assertThat(mixed.mounts()).extracting(MountPoint::destination, MountPoint::source).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("/data", "/other"),
                org.assertj.core.groups.Tuple.tuple("/srv", "/srv"),
                org.assertj.core.groups.Tuple.tuple("/anon", "/vols/mine/_data"));
        assertThat(volumes.provided).containsExactly("mine");
    }

    @Test
    void badVolumesFromIsRefusedBeforeAnyVolumeIsMade() throws IOException {
        FakeVolumes volumes = new FakeVolumes();
        volumes.containers.put("a", MountsSpec.NONE);
        assertThatThrownBy(() -> MountRequests.parse(ApiJson.MAPPER.readTree(
                "{\"Binds\":[\"db:/db\"],\"VolumesFrom\":[\"ghost\"]}"), null, volumes))
                .isInstanceOf(io.berth.oci.errors.NotFoundException.class).hasMessage("No such container: ghost");
        for (String[] bad : new String[][] {{"a:rx", "invalid mode: rx"}, {"a:ro,rw", "invalid mode: ro,rw"},
                {"a:nocopy", "invalid mode: nocopy"}, {"a:rshared", "invalid mode: rshared"},
                {"", "volumes-from specification cannot be an empty string"}}) {
            assertThatThrownBy(() -> MountRequests.parse(ApiJson.MAPPER.readTree("{\"VolumesFrom\":[\"" + bad[0] + "\"]}"), null, volumes))
                    .isInstanceOf(InvalidArgumentException.class).hasMessage(bad[1]);
        }
        assertThat(volumes.provided).isEmpty();
    }
}
