package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.linux.LinuxArch;
import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** berth's default filter, and Docker-format profiles resolved for one container on one host (no root needed). */
class SeccompProfilesTest {
    private static final List<String> DEFAULT_CAPS = Capabilities.DOCKER_DEFAULT;
    private static final DockerSeccompProfile.KernelVersion KERNEL_6_1 = new DockerSeccompProfile.KernelVersion(6, 1);

    private static List<String> deniedNames(JsonNode seccomp) {
        List<String> names = new ArrayList<>();
        seccomp.path("syscalls").forEach(r -> r.path("names").forEach(n -> names.add(n.asText())));
        return names;
    }

    @Test
    void defaultProfileBlocksIoUringAsDocker25Does() {
        JsonNode p = SeccompProfile.build(DEFAULT_CAPS, LinuxArch.X86_64);
        assertThat(deniedNames(p)).contains("io_uring_setup", "io_uring_enter", "io_uring_register");
        assertThat(p.at("/syscalls/0/action").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(p.at("/syscalls/0/errnoRet").asInt()).isEqualTo(1);
        // privilege does not reopen it: Docker's profile blocks io_uring whatever the capabilities
        assertThat(deniedNames(SeccompProfile.build(Capabilities.ALL, LinuxArch.X86_64))).contains("io_uring_setup");
    }

    @Test
    void defaultProfileNamesTheHostsArchitectures() {
        assertThat(SeccompProfile.build(DEFAULT_CAPS, LinuxArch.X86_64).path("architectures").toString())
                .isEqualTo("[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]");
        assertThat(SeccompProfile.build(DEFAULT_CAPS, LinuxArch.AARCH64).path("architectures").toString())
                .isEqualTo("[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]");
    }

    private static JsonNode resolve(String json, LinuxArch arch, List<String> caps) {
        return DockerSeccompProfile.parse(json).toOci(new DockerSeccompProfile.Target(arch, caps, KERNEL_6_1));
    }

    private static final String PROFILE = """
            {"defaultAction":"SCMP_ACT_ALLOW","defaultErrnoRet":38,
             "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},
                        {"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],
             "syscalls":[
               {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"comment":"always"},
               {"name":"chmod","action":"SCMP_ACT_ERRNO"},
               {"names":["only_amd64"],"action":"SCMP_ACT_ERRNO","includes":{"arches":["amd64","x32"]}},
               {"names":["not_on_amd64"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}},
               {"names":["needs_admin_and_ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN","CAP_SYS_PTRACE"]}},
               {"names":["unless_admin_or_chown"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_ADMIN","CAP_CHOWN"]}},
               {"names":["from_5_8"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":"5.8"}},
               {"names":["from_6_2"],"action":"SCMP_ACT_ERRNO","includes":{"minKernel":"6.2"}},
               {"names":["before_6_1"],"action":"SCMP_ACT_ERRNO","excludes":{"minKernel":"6.1"}},
               {"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967295,"valueTwo":0,"op":"SCMP_CMP_EQ"}]}
             ]}""";

    @Test
    void dockerProfileResolvesArchMapIncludesAndExcludesLikeMoby() {
        JsonNode amd64 = resolve(PROFILE, LinuxArch.X86_64, DEFAULT_CAPS);
        assertThat(amd64.path("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(amd64.path("defaultErrnoRet").asInt()).isEqualTo(38);
        assertThat(amd64.path("architectures").toString()).isEqualTo("[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]");
        // default caps hold CAP_CHOWN (excludes "unless_admin_or_chown") but not SYS_ADMIN+SYS_PTRACE
        assertThat(deniedNames(amd64)).containsExactly("mkdir", "mkdirat", "chmod", "only_amd64", "from_5_8", "personality");
        assertThat(amd64.at("/syscalls/0/errnoRet").asInt()).isEqualTo(1);
        assertThat(amd64.at("/syscalls/1/errnoRet").isMissingNode()).isTrue();
        assertThat(amd64.at("/syscalls/4/args/0").toString())
                .isEqualTo("{\"index\":0,\"value\":4294967295,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}");

        JsonNode arm64 = resolve(PROFILE, LinuxArch.AARCH64, List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE"));
        assertThat(arm64.path("architectures").toString()).isEqualTo("[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]");
        assertThat(deniedNames(arm64)).containsExactly("mkdir", "mkdirat", "chmod", "not_on_amd64", "needs_admin_and_ptrace",
                "from_5_8", "personality");
    }

    @Test
    void profileWithoutDefaultActionOrRulesMeansNoFilter() {
        assertThat(resolve("{}", LinuxArch.X86_64, DEFAULT_CAPS)).isNull();
        assertThat(resolve("{\"architectures\":[\"SCMP_ARCH_X86_64\"]}", LinuxArch.X86_64, DEFAULT_CAPS)).isNull();
    }

    @Test
    void malformedProfilesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> SeccompSetting.parse("{not json")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("invalid seccomp profile: not valid JSON");
        assertThatThrownBy(() -> SeccompSetting.parse("[]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}")).hasMessageContaining("'architectures' and 'archMap'");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"defaultAction\":\"SCMP_ACT_DANCE\"}"))
                .hasMessageContaining("unknown action \"SCMP_ACT_DANCE\"");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\"}]}")).hasMessageContaining("both 'name' and 'names'");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ERRNO\"}]}"))
                .hasMessageContaining("'defaultAction' is required");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":-1}]}")).hasMessageContaining("'errnoRet' must be a whole number");
        assertThatThrownBy(() -> SeccompSetting.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                + "\"action\":\"SCMP_ACT_ERRNO\",\"includes\":{\"minKernel\":\"new\"}}]}")).hasMessageContaining("minKernel");
        assertThatThrownBy(() -> SeccompSetting.parse("")).hasMessageContaining("seccomp=");
        assertThat(SeccompSetting.parse("unconfined")).isEqualTo(SeccompSetting.UNCONFINED);
        assertThat(SeccompSetting.parse("builtin")).isEqualTo(SeccompSetting.BUILTIN);
    }

    @Test
    void kernelVersionsCompareByMajorAndMinorOnly() {
        assertThat(DockerSeccompProfile.KernelVersion.parse("6.18.44-fc-v1300")).isEqualTo(new DockerSeccompProfile.KernelVersion(6, 18));
        assertThat(DockerSeccompProfile.KernelVersion.parse("5.10").compareTo(DockerSeccompProfile.KernelVersion.parse("5.9.1"))).isPositive();
    }

    @Test
    void configJsonCarriesTheContainersChoice() {
        ContainerPaths paths = ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), PureLogicTest.ID);
        ResolvedUser root = new ResolvedUser(0, 0, List.of(), "/root");
        ContainerSpec spec = PureLogicTest.spec(Resources.UNLIMITED, "", false, false);
        JsonNode builtin = OciConfig.build(spec, paths, root, PureLogicTest.host());
        assertThat(deniedNames(builtin.at("/linux/seccomp"))).contains("io_uring_setup");

        JsonNode unconfined = OciConfig.build(withSeccomp(spec, SeccompSetting.UNCONFINED), paths, root, PureLogicTest.host());
        assertThat(unconfined.at("/linux/seccomp").isMissingNode()).isTrue();

        JsonNode custom = OciConfig.build(withSeccomp(spec, SeccompSetting.parse(PROFILE)), paths, root, PureLogicTest.host());
        assertThat(deniedNames(custom.at("/linux/seccomp"))).startsWith("mkdir", "mkdirat").doesNotContain("io_uring_setup");
    }

    private static ContainerSpec withSeccomp(ContainerSpec s, SeccompSetting seccomp) {
        return s.toBuilder().seccomp(seccomp).build();
    }
}
