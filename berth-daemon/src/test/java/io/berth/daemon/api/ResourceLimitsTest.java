package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Resources;

/** Docker's checks of each limit, with its messages, against a host described here (not this machine). */
class ResourceLimitsTest {
    /** 2 CPUs, one memory node, real-time bandwidth, no blkio weight, berthd's hard nofile 20000 (no CAP_SYS_RESOURCE). */
    static final ResourceHost HOST = new ResourceHost(2, "0-1", "0", true, false, Map.of("nofile", 20000L, "core", -1L), -1000);
    private final ResourceLimits limits = new ResourceLimits(HOST);

    private static JsonNode json(String s) throws IOException {
        return ApiJson.MAPPER.readTree(s);
    }

    private Resources from(String hostConfig) throws IOException {
        return limits.from(json(hostConfig));
    }

    private void rejects(String hostConfig, String message) {
        assertThatThrownBy(() -> from(hostConfig)).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }

    @Test
    void memoryReservationSwappinessAndOomKiller() throws IOException {
        Resources r = from("{\"Memory\":67108864,\"MemoryReservation\":33554432,\"MemorySwappiness\":10,\"OomKillDisable\":true}");
        assertThat(r.memoryReservationBytes()).isEqualTo(33554432L);
        assertThat(r.memorySwappiness()).isEqualTo(10L);
        assertThat(r.oomKillDisable()).isTrue();
        assertThat(from("{\"MemorySwappiness\":-1}").memorySwappiness()).isNull();
        rejects("{\"MemorySwappiness\":101}", "Invalid value: 101, valid memory swappiness range is 0-100");
        rejects("{\"MemoryReservation\":1048576}", "Minimum memory reservation allowed is 6MB");
        rejects("{\"Memory\":16777216,\"MemoryReservation\":33554432}",
                "Minimum memory limit can not be less than memory reservation limit, see usage");
        assertThat(limits.check(json("{\"OomKillDisable\":true}"), false).warnings()).containsExactly(
                "OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
    }

    @Test
    void kernelMemoryIsRefusedAsDeprecated() {
        assertThatThrownBy(() -> from("{\"KernelMemory\":67108864}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("berth does not support HostConfig.KernelMemory: kernel memory limits are deprecated");
    }

    @Test
    void cpusetMustNameWhatTheHostHas() throws IOException {
        assertThat(from("{\"CpusetCpus\":\"0-1\",\"CpusetMems\":\"0\"}").cpu()).isEqualTo(new Resources.CpuTuning(0, 0, 0, 0, "0-1", "0"));
        assertThat(from("{\"CpusetCpus\":\"1,0\"}").cpu().cpusetCpus()).isEqualTo("1,0");
        rejects("{\"CpusetCpus\":\"0-3\"}", "Requested CPUs are not available - requested 0-3, available: 0-1");
        rejects("{\"CpusetMems\":\"1\"}", "Requested memory nodes are not available - requested 1, available: 0");
        rejects("{\"CpusetCpus\":\"a\"}", "Invalid value a for cpuset cpus: invalid format: a");
        rejects("{\"CpusetCpus\":\"1-0\"}", "Invalid value 1-0 for cpuset cpus: invalid format: 1-0");
        rejects("{\"CpusetCpus\":\"0,\"}", "Invalid value 0, for cpuset cpus: invalid format: 0,");
        assertThat(ResourceLimits.parseList("0-2,5")).containsExactly(0, 1, 2, 5);
    }

    @Test
    void realtimeCpu() throws IOException {
        Resources.CpuTuning rt = from("{\"CpuRealtimePeriod\":1000000,\"CpuRealtimeRuntime\":10000}").cpu();
        assertThat(rt.realtimePeriod()).isEqualTo(1000000);
        assertThat(rt.realtimeRuntime()).isEqualTo(10000);
        rejects("{\"CpuRealtimePeriod\":1000,\"CpuRealtimeRuntime\":10000}", "cpu-rt-runtime cannot be higher than cpu-rt-period");
        rejects("{\"CpuRealtimeRuntime\":1000001}", "cpu-rt-runtime cannot be higher than cpu-rt-period");
        ResourceLimits v2 = new ResourceLimits(new ResourceHost(2, "0-1", "0", false, false, Map.of(), -1000));
        assertThatThrownBy(() -> v2.from(json("{\"CpuRealtimeRuntime\":10000}")))
                .hasMessage("Your kernel does not support CPU real-time scheduler");
    }

    @Test
    void blkioWeightIsCheckedThenRefusedWhereTheKernelHasNone() throws IOException {
        rejects("{\"BlkioWeight\":5}", "Range of blkio weight is from 10 to 1000");
        rejects("{\"BlkioWeight\":1001}", "Range of blkio weight is from 10 to 1000");
        assertThatThrownBy(() -> from("{\"BlkioWeight\":300}")).hasMessageStartingWith("berth does not support HostConfig.BlkioWeight on this host");
        ResourceLimits bfq = new ResourceLimits(new ResourceHost(2, "0-1", "0", true, true, Map.of(), -1000));
        assertThat(bfq.from(json("{\"BlkioWeight\":300}")).blockIo().weight()).isEqualTo(300);
        rejects("{\"IOMaximumBandwidth\":1000}",
                "Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps (HostConfig.IOMaximumBandwidth)");
    }

    @Test
    void throttlesNameABlockDeviceByItsNumbers() throws IOException {
        // a block device node of this machine, and its numbers as the kernel lists them (/sys/dev/block/MAJ:MIN)
        Path node = Files.list(Path.of("/dev")).sorted()
                .filter(dev -> Files.exists(Path.of("/sys/block", dev.getFileName().toString(), "dev"))).findFirst().orElseThrow();
        String[] majorMinor = Files.readString(Path.of("/sys/block", node.getFileName().toString(), "dev")).trim().split(":");
        Resources.BlockIo io = from("{\"BlkioDeviceReadBps\":[{\"Path\":\"" + node + "\",\"Rate\":1048576}],"
                + "\"BlkioDeviceWriteIOps\":[{\"Path\":\"" + node + "\",\"Rate\":100}]}").blockIo();
        assertThat(io.readBps()).containsExactly(new Resources.ThrottleDevice(node.toString(),
                Long.parseLong(majorMinor[0]), Long.parseLong(majorMinor[1]), 1048576));
        assertThat(io.writeIops()).hasSize(1);
        rejects("{\"BlkioDeviceReadBps\":[{\"Path\":\"/dev/nope\",\"Rate\":1}]}", "stat /dev/nope: no such file or directory");
        rejects("{\"BlkioDeviceWriteBps\":[{\"Path\":\"/dev/null\",\"Rate\":1}]}",
                "HostConfig.BlkioDeviceWriteBps: /dev/null is not a block device");
        assertThatThrownBy(() -> from("{\"BlkioDeviceReadIOps\":[{\"Path\":\"" + node + "\",\"Rate\":-1}]}"))
                .hasMessageStartingWith("HostConfig.BlkioDeviceReadIOps: each entry needs a Path and a Rate");
    }

    @Test
    void ulimitsAreDockersNamesWithinTheHostsCeiling() throws IOException {
        List<Resources.Ulimit> u = from("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048},"
                + "{\"Name\":\"core\",\"Soft\":-1,\"Hard\":-1},{\"Name\":\"nofile\",\"Soft\":512,\"Hard\":512}]}").process().ulimits();
        assertThat(u).containsExactly(new Resources.Ulimit("core", -1, -1), new Resources.Ulimit("nofile", 512, 512));
        rejects("{\"Ulimits\":[{\"Name\":\"bogus\",\"Soft\":1,\"Hard\":1}]}", "invalid ulimit type: bogus");
        rejects("{\"Ulimits\":[{\"Name\":\"nproc\",\"Soft\":20,\"Hard\":10}]}",
                "ulimit soft limit must be less than or equal to hard limit: 20 > 10");
        rejects("{\"Ulimits\":[{\"Name\":\"nproc\",\"Soft\":-1,\"Hard\":10}]}",
                "ulimit soft limit must be less than or equal to hard limit: -1 > 10");
        rejects("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":30000,\"Hard\":30000}]}",
                "ulimit nofile: hard limit 30000 is above berthd's own (20000), which it cannot raise without CAP_SYS_RESOURCE");
    }

    @Test
    void shmSizeAndOomScore() throws IOException {
        assertThat(from("{}").process().shmSize()).isEqualTo(64L << 20);
        assertThat(from("{\"ShmSize\":134217728}").process().shmSize()).isEqualTo(128L << 20);
        rejects("{\"ShmSize\":-1}", "SHM size can not be less than 0");
        assertThat(from("{\"OomScoreAdj\":-500}").process().oomScoreAdj()).isEqualTo(-500);
        rejects("{\"OomScoreAdj\":1001}", "Invalid value 1001, range for oom score adj is [-1000, 1000]");
        rejects("{\"OomScoreAdj\":-1001}", "Invalid value -1001, range for oom score adj is [-1000, 1000]");
        // without CAP_SYS_RESOURCE the runtime can only raise the score it inherits from berthd: lower is refused at create
        ResourceLimits unprivileged = new ResourceLimits(new ResourceHost(2, "0-1", "0", true, false, Map.of(), 0));
        assertThat(unprivileged.from(json("{\"OomScoreAdj\":0}")).process().oomScoreAdj()).isZero();
        assertThatThrownBy(() -> unprivileged.from(json("{\"OomScoreAdj\":-100}"))).hasMessage("Invalid value -100 for OomScoreAdj:"
                + " berthd cannot give a container an OOM score adjustment below its own (0) without CAP_SYS_RESOURCE");
    }

    @Test
    void sysctlsAreTheNamespacedOnes() throws IOException {
        assertThat(from("{\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1000000\",\"fs.mqueue.msg_max\":\"20\"}}")
                .process().sysctls()).containsEntry("net.ipv4.ip_forward", "1").containsEntry("kernel.shmmax", "1000000")
                .containsEntry("fs.mqueue.msg_max", "20");
        rejects("{\"Sysctls\":{\"kernel.hostname\":\"x\"}}", "sysctl 'kernel.hostname' is not allowed");
        rejects("{\"Sysctls\":{\"vm.swappiness\":\"1\"}}", "sysctl 'vm.swappiness' is not allowed");
        rejects("{\"Sysctls\":{\"net/ipv4/ip_forward\":\"1\"}}", "sysctl 'net/ipv4/ip_forward' is not allowed");
        rejects("{\"NetworkMode\":\"host\",\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\"}}",
                "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace");
        rejects("{\"IpcMode\":\"host\",\"Sysctls\":{\"kernel.shmmax\":\"1\"}}",
                "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace");
    }

    @Test
    void cpuPeriodAndQuotaAreKeptBesideNanoCpus() throws IOException {
        Resources r = from("{\"CpuPeriod\":50000,\"CpuQuota\":25000,\"CpuShares\":512}");
        assertThat(r.cpu().period()).isEqualTo(50000);
        assertThat(r.cpu().quota()).isEqualTo(25000);
        assertThat(from("{\"CpuQuota\":-1}").cpu().quota()).isEqualTo(-1);
    }

    @Test
    void anUpdateMergesOverTheLimitsAsHostConfig() throws IOException {
        Resources r = from("{\"Memory\":67108864,\"MemoryReservation\":33554432,\"CpusetCpus\":\"1\",\"CpuPeriod\":50000,"
                + "\"CpuQuota\":25000,\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":100,\"Hard\":200}],\"ShmSize\":1048576,"
                + "\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\"},\"OomScoreAdj\":5}");
        // Docker's create default of twice the memory as MemorySwap is kept, never recomputed by an update
        assertThat(limits.check(ResourceLimits.asHostConfig(r), true).resources()).isEqualTo(r);
        assertThat(r.memorySwapBytes()).isEqualTo(134217728L);
    }
}
