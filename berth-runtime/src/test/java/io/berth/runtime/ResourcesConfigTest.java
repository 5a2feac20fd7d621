package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Every limit of a Resources as config.json carries it to the runtime (the cgroup files are read by berth-it's ResourceLimitsTest). */
class ResourcesConfigTest {
    private static final String ID = "ab".repeat(32);
    private static final ContainerPaths PATHS = ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID);

    private static final Resources ALL = new Resources(64L << 20, 0, 0, 512, 128L << 20, 32L << 20, 10L, true,
            new Resources.CpuTuning(50_000, 25_000, 1_000_000, 10_000, "0-1", "0"),
            new Resources.BlockIo(300, List.of(new Resources.ThrottleDevice("/dev/vda", 254, 0, 1048576)), null, null,
                    List.of(new Resources.ThrottleDevice("/dev/vda", 254, 0, 100))),
            new Resources.ProcessLimits(128L << 20, -500, List.of(new Resources.Ulimit("nofile", 100, 200),
                    new Resources.Ulimit("core", -1, -1)), Map.of("net.ipv4.ip_forward", "1")));

    private static JsonNode config(Resources r) {
        return OciConfig.build(PureLogicTest.spec(r, "", false, false), PATHS, new ResolvedUser(0, 0, List.of(), "/root"),
                PureLogicTest.host());
    }

    @Test
    void everyLimitReachesConfigJson() {
        JsonNode c = config(ALL);
        JsonNode res = c.at("/linux/resources");
        assertThat(res.at("/memory/limit").asLong()).isEqualTo(64L << 20);
        assertThat(res.at("/memory/swap").asLong()).isEqualTo(128L << 20);
        assertThat(res.at("/memory/reservation").asLong()).isEqualTo(32L << 20);
        assertThat(res.at("/memory/swappiness").asLong()).isEqualTo(10);
        assertThat(res.at("/memory/disableOOMKiller").asBoolean()).isTrue();
        assertThat(res.at("/cpu/period").asLong()).isEqualTo(50_000);
        assertThat(res.at("/cpu/quota").asLong()).isEqualTo(25_000);
        assertThat(res.at("/cpu/shares").asLong()).isEqualTo(512);
        assertThat(res.at("/cpu/realtimePeriod").asLong()).isEqualTo(1_000_000);
        assertThat(res.at("/cpu/realtimeRuntime").asLong()).isEqualTo(10_000);
        assertThat(res.at("/cpu/cpus").asText()).isEqualTo("0-1");
        assertThat(res.at("/cpu/mems").asText()).isEqualTo("0");
        assertThat(res.at("/blockIO/weight").asInt()).isEqualTo(300);
        assertThat(res.at("/blockIO/throttleReadBpsDevice").toString()).isEqualTo("[{\"major\":254,\"minor\":0,\"rate\":1048576}]");
        assertThat(res.at("/blockIO/throttleWriteIOPSDevice/0/rate").asLong()).isEqualTo(100);
        assertThat(res.at("/blockIO").has("throttleWriteBpsDevice")).isFalse();
        assertThat(c.at("/process/oomScoreAdj").asInt()).isEqualTo(-500);
        // the request's nofile replaces berth's default; -1 is RLIM_INFINITY (2^64-1 as the runtime reads a uint64)
        assertThat(c.at("/process/rlimits").toString()).isEqualTo("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":200,\"soft\":100},"
                + "{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}]");
        assertThat(c.at("/linux/sysctl").toString()).isEqualTo("{\"net.ipv4.ip_forward\":\"1\"}");
        assertThat(c.at("/mounts").toString()).contains("size=134217728");
    }

    @Test
    void nanoCpusGiveAPeriodOfTheirOwnAndDefaultsStayDockers() {
        JsonNode c = config(new Resources(0, 1_500_000_000L, 0, 0));
        assertThat(c.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(150_000);
        assertThat(c.at("/linux/resources").has("memory")).isFalse();
        assertThat(c.at("/linux/resources").has("blockIO")).isFalse();
        assertThat(c.at("/linux").has("sysctl")).isFalse();
        assertThat(c.at("/process/oomScoreAdj").asInt()).isZero();
        assertThat(c.at("/process/rlimits/0/type").asText()).isEqualTo("RLIMIT_NOFILE");
        assertThat(c.at("/mounts").toString()).contains("size=67108864");
    }

    @Test
    void anExecRunsUnderTheContainersRlimitsAndOomScore() {
        JsonNode p = OciConfig.execProcess(PureLogicTest.spec(ALL, "", false, false),
                new ExecSpec(List.of("sh"), List.of(), "", "", false, false, false),
                new ResolvedUser(0, 0, List.of(), "/root"), PureLogicTest.host());
        assertThat(p.at("/oomScoreAdj").asInt()).isEqualTo(-500);
        assertThat(p.at("/rlimits/0/hard").asLong()).isEqualTo(200);
    }

    @Test
    void aStateFileFromBeforeTheseLimitsLoadsWithTheirDefaults() throws Exception {
        Resources r = ContainerStore.JSON.readValue(
                "{\"memoryBytes\":67108864,\"nanoCpus\":0,\"pidsLimit\":0,\"cpuShares\":0,\"memorySwapBytes\":0}", Resources.class);
        assertThat(r.cpu()).isEqualTo(Resources.CpuTuning.NONE);
        assertThat(r.blockIo()).isEqualTo(Resources.BlockIo.NONE);
        assertThat(r.process()).isEqualTo(Resources.ProcessLimits.DEFAULT);
        assertThat(r.memorySwappiness()).isNull();
        assertThat(ContainerStore.JSON.readValue(ContainerStore.JSON.writeValueAsBytes(ALL), Resources.class)).isEqualTo(ALL);
    }

    @Test
    void theRealtimeBudgetOfTheParentGrowsToFitEveryChild(@TempDir Path cpu) throws Exception {
        Path parent = Files.createDirectories(cpu.resolve("berth"));
        Files.writeString(parent.resolve("cpu.rt_period_us"), "1000000");
        Files.writeString(parent.resolve("cpu.rt_runtime_us"), "0");
        Path other = Files.createDirectories(parent.resolve("other"));
        Files.writeString(other.resolve("cpu.rt_period_us"), "100000");
        Files.writeString(other.resolve("cpu.rt_runtime_us"), "5000"); // 5%
        CpuRealtimeBudget budget = new CpuRealtimeBudget(cpu, "/berth");
        budget.reserve(ID, new Resources.CpuTuning(0, 0, 0, 10_000, "", "")); // 1% of the default 1s period
        assertThat(Files.readString(parent.resolve("cpu.rt_runtime_us"))).isEqualTo("60000");
        // never shrunk; a container's own old figure is not counted twice on an update
        Path self = Files.createDirectories(parent.resolve(ID));
        Files.writeString(self.resolve("cpu.rt_period_us"), "1000000");
        Files.writeString(self.resolve("cpu.rt_runtime_us"), "10000");
        budget.reserve(ID, new Resources.CpuTuning(0, 0, 1_000_000, 5_000, "", ""));
        assertThat(Files.readString(parent.resolve("cpu.rt_runtime_us"))).isEqualTo("60000");
        budget.reserve(ID, new Resources.CpuTuning(0, 0, 500_000, 100_000, "", ""));
        assertThat(Files.readString(parent.resolve("cpu.rt_runtime_us"))).isEqualTo("250000");
        // nothing asked, nothing touched
        budget.reserve("x", Resources.CpuTuning.NONE);
        assertThat(Files.readString(parent.resolve("cpu.rt_runtime_us"))).isEqualTo("250000");
    }
}
