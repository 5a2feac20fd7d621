package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Resources;

/**
 * The /build query's options for RUN containers. Before: memory, memswap, cpushares, cpusetcpus, cpusetmems,
 * cpuperiod and cpuquota (docker build --memory ..., docker-py's container_limits), cgroupparent, securityopt,
 * isolation, squash, outputs, version and platform were accepted and dropped.
 */
class BuildRunOptionsTest {
    private static final ResourceLimits LIMITS = new ResourceLimits(new ResourceHost(2, "0-1", "0", true, true, Map.of(), -1000));

    private static BuildRunOptions from(String... pairs) {
        java.util.LinkedHashMap<String, List<String>> query = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) query.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        return BuildRunOptions.from(query, LIMITS);
    }

    @Test
    void theDockerClisLimitsReachTheRunContainersResources() {
        Resources r = from("memory", "67108864", "memswap", "134217728", "cpushares", "100", "cpusetcpus", "1",
                "cpusetmems", "0", "cpuperiod", "50000", "cpuquota", "25000", "shmsize", "1048576").resources();
        assertThat(r.memoryBytes()).isEqualTo(67108864);
        assertThat(r.memorySwapBytes()).isEqualTo(134217728);
        assertThat(r.cpuShares()).isEqualTo(100);
        assertThat(r.cpu()).isEqualTo(new Resources.CpuTuning(50000, 25000, 0, 0, "1", "0"));
        assertThat(r.process().shmSizeBytes()).isEqualTo(1048576);
    }

    @Test
    void whatTheCliSendsWithoutFlagsIsNoLimit() {
        Resources r = from("memory", "0", "memswap", "0", "cpushares", "0", "cpusetcpus", "", "cpuperiod", "0",
                "cpuquota", "0", "shmsize", "0", "rm", "1", "forcerm", "0", "version", "1", "isolation", "").resources();
        assertThat(r.memoryBytes()).isZero();
        assertThat(r.cpuShares()).isZero();
        assertThat(r.cpu()).isEqualTo(Resources.CpuTuning.NONE);
        // docker-py sends rm=False by default: berth removes RUN containers either way
        assertThat(from("rm", "False", "forcerm", "False").resources().memoryBytes()).isZero();
    }

    @Test
    void limitsAreCheckedAsContainerCreateChecksThem() {
        assertThatThrownBy(() -> from("memory", "1000")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> from("memory", "67108864", "memswap", "1048576")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Minimum memoryswap limit should be larger than memory limit");
        assertThatThrownBy(() -> from("cpusetcpus", "7")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("7");
        assertThatThrownBy(() -> from("memory", "lots")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid memory: lots");
    }

    @Test
    void optionsBerthDoesNotApplyAreRefusedByName() {
        assertThatThrownBy(() -> from("cgroupparent", "foo")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth does not support build --cgroup-parent (cgroupparent)");
        assertThatThrownBy(() -> from("securityopt", "seccomp=unconfined")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth does not support build --security-opt (securityopt)");
        assertThatThrownBy(() -> from("isolation", "hyperv")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Unsupported isolation: \"hyperv\"");
        assertThatThrownBy(() -> from("squash", "1")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("squash is only supported with experimental mode");
        assertThatThrownBy(() -> from("outputs", "[{\"Type\":\"local\"}]")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("outputs");
        assertThatThrownBy(() -> from("version", "2")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("version 2");
        assertThat(from("isolation", "default", "squash", "0", "outputs", "null").resources()).isNotNull();
    }

    @Test
    void onlyThisMachinesPlatformIsBuiltFor() {
        String host = Platform.host().format();
        assertThat(from("platform", host).resources()).isNotNull();
        assertThat(from("platform", "linux").resources()).isNotNull();
        String foreign = Platform.host().architecture().equals("arm64") ? "linux/amd64" : "linux/arm64";
        assertThatThrownBy(() -> from("platform", foreign)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth builds for " + host + " only (its RUN steps run on this machine), not for " + foreign);
        assertThatThrownBy(() -> from("platform", "windows/" + Platform.host().architecture()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> from("platform", "linux//x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid platform");
    }
}
