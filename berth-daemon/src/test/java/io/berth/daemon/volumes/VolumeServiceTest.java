package io.berth.daemon.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.daemon.api.Filters;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.store.volumes.Volume;
import io.berth.store.volumes.VolumeStore;

class VolumeServiceTest {
    @TempDir
    Path root;

    private final Map<String, List<String>> users = new HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private VolumeService service;

    @BeforeEach
    void open() {
        service = new VolumeService(new VolumeStore(root.resolve("volumes")),
                name -> users.getOrDefault(name, List.of()), (action, name, attrs) -> events.add(action + " " + name));
    }

    private static VolumeFilter list(String json) {
        return VolumeFilter.forList(Filters.parse(json));
    }

    private static VolumeFilter prune(String json) {
        return VolumeFilter.forPrune(Filters.parse(json), false);
    }

    private List<String> names(VolumeFilter f) {
        return service.list(f).stream().map(Volume::name).toList();
    }

    @Test
    void createNamedThenTheSameNameAnswersTheExistingVolume() {
        Volume first = service.create("data", null, Map.of("a", "1"), Map.of());
        assertThat(first.driver()).isEqualTo("local");
        assertThat(first.createdAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Volume again = service.create("data", "local", Map.of("b", "2"), Map.of());
        assertThat(again).isEqualTo(first); // Docker keeps the first labels
        assertThat(service.inspect("data")).isEqualTo(first);
        assertThat(events).containsExactly("create data");
        assertThat(service.mountpoint("data")).isDirectory();
    }

    @Test
    void anonymousCreateGetsA64HexNameAndDockersLabel() {
        Volume v = service.create(null, null, Map.of("x", "y"), null);
        assertThat(v.name()).matches("[0-9a-f]{64}");
        assertThat(v.labels()).containsEntry(Volume.ANONYMOUS_LABEL, "").containsEntry("x", "y");
        assertThat(v.anonymous()).isTrue();
        assertThat(service.create("", null, null, null).name()).isNotEqualTo(v.name());
    }

    @Test
    void refusesOtherDriversEveryOptionAndBadNames() {
        assertThatThrownBy(() -> service.create("data", "nfs", Map.of(), Map.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("volume driver \"nfs\"");
        assertThatThrownBy(() -> service.create("data", null, Map.of(), Map.of("type", "ext4", "device", "/dev/sda1")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith(
                        "berth does not support volume options device=/dev/sda1,type=ext4 yet (only type=none,o=bind,device=/absolute/path and type=tmpfs");
        assertThatThrownBy(() -> service.create("data", null, Map.of(), Map.of("type", "tmpfs", "o", "size=1m,noexec")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage(
                        "berth does not support tmpfs volume option \"noexec\" (only size, mode, uid, gid, nr_inodes)");
        assertThatThrownBy(() -> service.create("data", null, Map.of(), Map.of("type", "none", "o", "bind,ro", "device", "/srv")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("berth does not support volume options device=/srv,o=bind,ro,type=none");
        assertThatThrownBy(() -> service.create("data", null, Map.of(), Map.of("type", "none", "o", "bind", "device", "srv")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid option: device \"srv\" must be an absolute path");
        assertThatThrownBy(() -> service.create("../x", null, Map.of(), Map.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("includes invalid characters");
        assertThat(service.list(list(null))).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void inspectAndRemoveOfAMissingVolume() {
        assertThatThrownBy(() -> service.inspect("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("get nope: no such volume");
        assertThatThrownBy(() -> service.remove("nope", false)).isInstanceOf(NotFoundException.class);
        service.remove("nope", true); // force: a missing volume is no error, as Docker's
    }

    @Test
    void aUsedVolumeIsNeverRemovedEvenWithForce() {
        service.create("data", null, Map.of(), Map.of());
        users.put("data", List.of("c1"));
        assertThatThrownBy(() -> service.remove("data", true)).isInstanceOf(ConflictException.class)
                .hasMessage("remove data: volume is in use - [c1]");
        users.clear();
        service.remove("data", false);
        assertThatThrownBy(() -> service.inspect("data")).isInstanceOf(NotFoundException.class);
        assertThat(events).containsExactly("create data", "destroy data");
    }

    @Test
    void listFilters() {
        service.create("alpha", null, Map.of("env", "prod"), Map.of());
        service.create("beta", null, Map.of("env", "dev", "team", "x"), Map.of());
        service.create("gamma", null, Map.of(), Map.of());
        users.put("gamma", List.of("c1"));
        assertThat(names(list(null))).containsExactly("alpha", "beta", "gamma");
        assertThat(names(list("{\"dangling\":[\"true\"]}"))).containsExactly("alpha", "beta");
        assertThat(names(list("{\"dangling\":[\"0\"]}"))).containsExactly("gamma");
        assertThat(names(list("{\"name\":[\"ph\",\"mm\"]}"))).containsExactly("alpha", "gamma");
        assertThat(names(list("{\"driver\":[\"local\"]}"))).containsExactly("alpha", "beta", "gamma");
        assertThat(names(list("{\"driver\":[\"nfs\"]}"))).isEmpty();
        assertThat(names(list("{\"label\":[\"env\"]}"))).containsExactly("alpha", "beta");
        assertThat(names(list("{\"label\":[\"env=dev\",\"team\"]}"))).containsExactly("beta");
        assertThat(names(list("{\"name\":{\"a.*\":true}}"))).isEmpty(); // literal, not a regular expression
    }

    @Test
    void unknownFiltersAndNonBooleanValuesAreRefusedByName() {
        assertThatThrownBy(() -> list("{\"until\":[\"1h\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'until'");
        assertThatThrownBy(() -> list("{\"dangling\":[\"maybe\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'dangling=maybe'");
        assertThatThrownBy(() -> prune("{\"dangling\":[\"true\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'dangling'");
        assertThatThrownBy(() -> prune("{\"all\":[\"yes\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'all=yes'");
    }

    @Test
    void pruneTakesOnlyUnusedAnonymousVolumesUnlessAll() throws Exception {
        service.create("named", null, Map.of(), Map.of());
        String anon = service.create(null, null, Map.of(), Map.of()).name();
        String usedAnon = service.create(null, null, Map.of(), Map.of()).name();
        users.put(usedAnon, List.of("c1"));
        Files.writeString(service.mountpoint(anon).resolve("f"), "1234567");

        VolumeService.PruneReport report = service.prune(prune(null));
        assertThat(report.deleted()).containsExactly(anon);
        assertThat(report.spaceReclaimed()).isEqualTo(7);
        assertThat(names(list(null))).containsExactlyInAnyOrder("named", usedAnon);

        assertThat(service.prune(prune("{\"all\":[\"true\"]}")).deleted()).containsExactly("named");
        assertThat(names(list(null))).containsExactly(usedAnon);
    }

    @Test
    void pruneLabelFiltersAndOldApiVersionsPruneNamedVolumesToo() {
        service.create("keep", null, Map.of("keep", "yes"), Map.of());
        service.create("drop", null, Map.of("tier", "tmp"), Map.of());
        service.create("other", null, Map.of(), Map.of());
        assertThat(service.prune(prune("{\"all\":[\"1\"],\"label!\":[\"keep\"],\"label\":[\"tier=tmp\"]}")).deleted())
                .containsExactly("drop");
        assertThat(service.prune(VolumeFilter.forPrune(Filters.parse("{\"label!\":[\"keep=yes\"]}"), true)).deleted())
                .containsExactly("other");
        assertThat(names(list(null))).containsExactly("keep");
    }

    @Test
    void usageReportsSizeAndUsers() throws Exception {
        service.create("data", null, Map.of(), Map.of());
        Files.writeString(service.mountpoint("data").resolve("f"), "abc");
        users.put("data", List.of("c1", "c2"));
        assertThat(service.usage()).singleElement().satisfies(u -> {
            assertThat(u.volume().name()).isEqualTo("data");
            assertThat(u.size()).isEqualTo(3);
            assertThat(u.refCount()).isEqualTo(2);
        });
    }

    @Test
    void aBindDeviceVolumeIsItsHostDirectoryWhichMustExistWhenMounted() throws Exception {
        Path device = root.resolve("dev");
        Volume v = service.create("bound", null, Map.of(), Map.of("type", "none", "o", "bind", "device", device + "/"));
        assertThat(v.options()).containsEntry("device", device + "/").containsEntry("type", "none").containsEntry("o", "bind");
        assertThatThrownBy(() -> service.source(v)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("failed to mount local volume: mount " + device + ":").hasMessageEndingWith("no such file or directory");
        java.nio.file.Files.createDirectories(device);
        assertThat(service.source(v)).isEqualTo(device);
        Volume plain = service.create("plain", null, null, null);
        assertThat(service.source(plain)).isEqualTo(service.mountpoint("plain"));
        // removing the volume leaves the host directory alone
        java.nio.file.Files.writeString(device.resolve("f"), "x");
        service.remove("bound", false);
        assertThat(device.resolve("f")).hasContent("x");
    }
}
