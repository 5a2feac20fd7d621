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
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.LogSettings;
import io.berth.runtime.SeccompSetting;
import io.berth.runtime.RestartPolicy;

class CreateRequestTranslatorTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final ImageDefaults BUSYBOX = new ImageDefaults("sha256:" + "b".repeat(64),
            List.of(), List.of("sh"), List.of("PATH=/usr/local/sbin:/usr/bin:/bin", "LANG=C"),
            "", "", null, Map.of());
    private static final ImageDefaults NGINX = new ImageDefaults("sha256:" + "c".repeat(64),
            List.of("/docker-entrypoint.sh"), List.of("nginx", "-g", "daemon off;"),
            List.of("PATH=/bin", "NGINX_VERSION=1.25"), "/srv", "nginx", "SIGQUIT",
            Map.of("maintainer", "NGINX", "tier", "image"));

    private final CreateRequestTranslator translator = new CreateRequestTranslator(2);

    private static JsonNode json(String s) throws IOException {
        return ApiJson.MAPPER.readTree(s);
    }

    private ContainerSpec translate(String body, ImageDefaults image) throws IOException {
        return translator.translate(ID, "web", json(body), image, List.of(Path.of("/layers/1"), Path.of("/layers/0")));
    }

    private void rejectsWith(String body, String part) {
        assertThatThrownBy(() -> translate(body, BUSYBOX)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(part);
    }

    private void rejects(String body, String message) {
        assertThatThrownBy(() -> translate(body, BUSYBOX)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void inspectsConfigShowsTheCommandAsRunWithTheImagesDefaultsMergedIn() throws IOException {
        // docker-compose 1.29's ps prints Config.Entrypoint + Config.Cmd: an image's CMD must be there
        Map<String, Object> config = ContainerView.config(translate("{\"Image\":\"nginx\"}", NGINX));
        assertThat(ApiJson.MAPPER.valueToTree(config.get("Entrypoint")).toString()).isEqualTo("[\"/docker-entrypoint.sh\"]");
        assertThat(ApiJson.MAPPER.valueToTree(config.get("Cmd")).toString()).isEqualTo("[\"nginx\",\"-g\",\"daemon off;\"]");
        // an entrypoint of the request's own drops the image's command: Cmd is null, as Docker shows it
        config = ContainerView.config(translate("{\"Image\":\"nginx\",\"Entrypoint\":[\"sh\"]}", NGINX));
        assertThat(ApiJson.MAPPER.valueToTree(config.get("Entrypoint")).toString()).isEqualTo("[\"sh\"]");
        assertThat(config.get("Cmd")).isNull();
        // read back from a state file, extra's values are plain maps and lists
        ContainerSpec spec = translate("{\"Image\":\"busybox\"}", BUSYBOX);
        Map<String, Object> extra = new java.util.HashMap<>(spec.extra());
        extra.put("command", ApiJson.MAPPER.convertValue(spec.extra().get("command"), Map.class));
        config = ContainerView.config(spec.toBuilder().extra(extra).build());
        assertThat(ApiJson.MAPPER.valueToTree(config.get("Cmd")).toString()).isEqualTo("[\"sh\"]");
        assertThat(config.get("Entrypoint")).isNull();
    }

    @Test
    void imageDefaultsFillAnEmptyRequest() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\"}", NGINX);
        assertThat(spec.id()).isEqualTo(ID);
        assertThat(spec.name()).isEqualTo("web");
        assertThat(spec.image()).isEqualTo("nginx");
        assertThat(spec.imageId()).isEqualTo(NGINX.imageId());
        assertThat(spec.process().args()).containsExactly("/docker-entrypoint.sh", "nginx", "-g", "daemon off;");
        assertThat(spec.process().env()).containsExactly("PATH=/bin", "NGINX_VERSION=1.25");
        assertThat(spec.process().workingDir()).isEqualTo("/srv");
        assertThat(spec.process().user()).isEqualTo("nginx");
        assertThat(spec.process().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(spec.labels()).isEqualTo(NGINX.labels());
        assertThat(spec.network().hostname()).isEqualTo(ID.substring(0, 12));
        assertThat(spec.lifecycle().restartPolicy()).isEqualTo(RestartPolicy.NONE);
        assertThat(spec.lifecycle().autoRemove()).isFalse();
        assertThat(spec.lifecycle().runtime()).isNull();
        assertThat(spec.rootfs().lowerDirs()).containsExactly(Path.of("/layers/1"), Path.of("/layers/0"));
        assertThat(spec.extra()).containsKey("createBody");
        assertThat(spec.created()).isNotNull();
    }

    @Test
    void requestCmdReplacesImageCmdButKeepsImageEntrypoint() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Cmd\":[\"nginx\",\"-t\"]}", NGINX);
        assertThat(spec.process().args()).containsExactly("/docker-entrypoint.sh", "nginx", "-t");
    }

    @Test
    void explicitEntrypointDropsTheImageCmd() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Entrypoint\":[\"/bin/sh\"]}", NGINX);
        assertThat(spec.process().args()).containsExactly("/bin/sh");
    }

    @Test
    void explicitEntrypointAndCmdAreBothUsed() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":[\"echo hi\"]}", NGINX);
        assertThat(spec.process().args()).containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void emptyStringEntrypointMeansNoEntrypoint() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Entrypoint\":[\"\"],\"Cmd\":[\"ls\",\"/\"]}", NGINX);
        assertThat(spec.process().args()).containsExactly("ls", "/");
    }

    @Test
    void emptyStringEntrypointWithoutCmdHasNoCommand() {
        assertThatThrownBy(() -> translate("{\"Image\":\"nginx\",\"Entrypoint\":[\"\"]}", NGINX))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("no command specified");
    }

    @Test
    void stringFormCmdAndEntrypointAreOneArgument() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"busybox\",\"Entrypoint\":\"/bin/echo\",\"Cmd\":\"a b\"}", BUSYBOX);
        assertThat(spec.process().args()).containsExactly("/bin/echo", "a b");
    }

    @Test
    void nullCmdAndEntrypointFallBackToTheImage() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Entrypoint\":null,\"Cmd\":null}", NGINX);
        assertThat(spec.process().args()).containsExactly("/docker-entrypoint.sh", "nginx", "-g", "daemon off;");
    }

    @Test
    void noCommandAnywhereIsRejected() {
        ImageDefaults scratch = new ImageDefaults("sha256:" + "d".repeat(64), List.of(), List.of(), List.of(), "", "", "", Map.of());
        assertThatThrownBy(() -> translate("{\"Image\":\"scratch\"}", scratch))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("no command specified");
    }

    @Test
    void cmdThatIsNeitherStringNorListIsRejected() {
        assertThatThrownBy(() -> translate("{\"Image\":\"busybox\",\"Cmd\":{\"a\":1}}", BUSYBOX))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("expected a list of strings");
    }

    @Test
    void envIsTheRequestsThenTheImagesOtherNamesAsDockerMergesIt() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"busybox\",\"Env\":[\"LANG=en_US.UTF-8\",\"FOO=bar=baz\",\"EMPTY=\"]}", BUSYBOX);
        assertThat(spec.process().env()).containsExactly("LANG=en_US.UTF-8", "FOO=bar=baz", "EMPTY=", "PATH=/usr/local/sbin:/usr/bin:/bin");
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).process().env())
                .containsExactly("PATH=/usr/local/sbin:/usr/bin:/bin", "LANG=C");
    }

    @Test
    void anEnvEntryWithoutEqualsIsKeptAndHidesTheImagesValue() {
        // the docker CLI sends "B" for -e B when B is not in its own environment; Docker keeps it in Config.Env
        assertThat(CreateRequestTranslator.createEnv(List.of("A=1", "C=3"), List.of("A", "B", "C=4", "C=5")))
                .containsExactly("A", "B", "C=4", "C=5");
        // commit's ENV changes merge by name
        assertThat(CreateRequestTranslator.mergeEnv(List.of("A=1"), List.of("A", "B"))).containsExactly("A=1");
    }

    @Test
    void malformedEnvIsRejected() {
        assertThatThrownBy(() -> CreateRequestTranslator.createEnv(List.of(), List.of("=x")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid environment variable");
        assertThatThrownBy(() -> CreateRequestTranslator.createEnv(List.of(), List.of("")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void labelsMergeWithRequestWinning() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"nginx\",\"Labels\":{\"tier\":\"web\",\"team\":\"a\"}}", NGINX);
        assertThat(spec.labels()).isEqualTo(Map.of("maintainer", "NGINX", "tier", "web", "team", "a"));
    }

    @Test
    void workingDirMustBeAbsolute() {
        rejects("{\"Image\":\"busybox\",\"WorkingDir\":\"srv/app\"}",
                "the working directory 'srv/app' is invalid, it needs to be an absolute path");
    }

    @Test
    void workingDirDefaultsToRootAndRequestOverridesImage() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).process().workingDir()).isEqualTo("/");
        assertThat(translate("{\"Image\":\"nginx\",\"WorkingDir\":\"/app\"}", NGINX).process().workingDir()).isEqualTo("/app");
        assertThat(translate("{\"Image\":\"nginx\",\"WorkingDir\":\"\"}", NGINX).process().workingDir()).isEqualTo("/srv");
    }

    @Test
    void stopSignalFallsBackToTheImageThenSigterm() throws IOException {
        assertThat(translate("{\"Image\":\"nginx\",\"StopSignal\":\"SIGINT\"}", NGINX).process().stopSignal()).isEqualTo("SIGINT");
        assertThat(translate("{\"Image\":\"nginx\",\"StopSignal\":\"\"}", NGINX).process().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).process().stopSignal()).isEqualTo("SIGTERM");
    }

    @Test
    void stopTimeoutIsOptional() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).process().stopTimeoutSeconds()).isNull();
        assertThat(translate("{\"Image\":\"busybox\",\"StopTimeout\":3}", BUSYBOX).process().stopTimeoutSeconds()).isEqualTo(3);
    }

    @Test
    void userFallsBackToTheImage() throws IOException {
        assertThat(translate("{\"Image\":\"nginx\"}", NGINX).process().user()).isEqualTo("nginx");
        assertThat(translate("{\"Image\":\"nginx\",\"User\":\"1000:1000\"}", NGINX).process().user()).isEqualTo("1000:1000");
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).process().user()).isEmpty();
    }

    @Test
    void hostnameAndFlagsComeFromTheRequest() throws IOException {
        ContainerSpec spec = translate("""
                {"Image":"busybox","Hostname":"box","Tty":true,"OpenStdin":true,
                 "HostConfig":{"Init":true,"ReadonlyRootfs":true,"Privileged":true,
                               "CapAdd":["NET_ADMIN"],"CapDrop":["ALL"]}}""", BUSYBOX);
        assertThat(spec.network().hostname()).isEqualTo("box");
        assertThat(spec.process().tty()).isTrue();
        assertThat(spec.process().openStdin()).isTrue();
        assertThat(spec.process().init()).isTrue();
        assertThat(spec.security().readOnlyRootfs()).isTrue();
        assertThat(spec.security().privileged()).isTrue();
        assertThat(spec.security().capAdd()).containsExactly("NET_ADMIN");
        assertThat(spec.security().capDrop()).containsExactly("ALL");
    }

    @Test
    void restartPoliciesAreAccepted() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\"}}}", BUSYBOX)
                .lifecycle().restartPolicy()).isEqualTo(new RestartPolicy("always", 0));
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}}", BUSYBOX)
                .lifecycle().restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"\"}}}", BUSYBOX)
                .lifecycle().restartPolicy().name()).isEqualTo("no");
    }

    @Test
    void restartPolicyValidationMessages() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}",
                "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":2}}}",
                "invalid restart policy: maximum retry count can only be used with 'on-failure'");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":-1}}}",
                "invalid restart policy: maximum retry count cannot be negative");
    }

    @Test
    void autoRemoveConflictsWithARestartPolicy() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}",
                "Conflicting options: AutoRemove and restart policy");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"on-failure\"}}}",
                "Conflicting options: AutoRemove and restart policy");
    }

    @Test
    void autoRemoveWithRestartNoIsFine() throws IOException {
        ContainerSpec spec = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"no\"}}}", BUSYBOX);
        assertThat(spec.lifecycle().autoRemove()).isTrue();
    }

    @Test
    void nanoCpusArePassedThrough() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":1500000000}}", BUSYBOX).resources().nanoCpus())
                .isEqualTo(1_500_000_000L);
    }

    @Test
    void cpuQuotaAndPeriodAreKeptAsSentNotFoldedIntoNanoCpus() throws IOException {
        var r = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":25000,\"CpuPeriod\":50000}}", BUSYBOX).resources();
        assertThat(r.nanoCpus()).isZero();
        assertThat(r.cpu().quota()).isEqualTo(25000);
        assertThat(r.cpu().period()).isEqualTo(50000);
        // a period alone is applied too (Docker writes cfs_period_us), and 1ms per 1s is the kernel's minimum, allowed
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuPeriod\":50000}}", BUSYBOX).resources().cpu().period())
                .isEqualTo(50000);
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":1000,\"CpuPeriod\":1000000}}", BUSYBOX)
                .resources().cpu().quota()).isEqualTo(1000);
    }

    @Test
    void nanoCpusAndCpuQuotaConflict() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":1000000000,\"CpuQuota\":50000}}",
                "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":1000000000,\"CpuPeriod\":50000}}",
                "Conflicting options: Nano CPUs and CPU Period cannot both be set");
    }

    @Test
    void nanoCpusMustBeWithinTheHostsCpus() throws IOException {
        String message = "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available";
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":-1}}", message);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":2000000001}}", message);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":9999999}}", message);
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":10000000}}", BUSYBOX).resources().nanoCpus())
                .isEqualTo(10_000_000L);
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"NanoCpus\":2000000000}}", BUSYBOX).resources().nanoCpus())
                .isEqualTo(2_000_000_000L);
    }

    @Test
    void cpuPeriodAndQuotaRanges() {
        String period = "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)";
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":50000,\"CpuPeriod\":999}}", period);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":50000,\"CpuPeriod\":1000001}}", period);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuPeriod\":-3}}", period);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":999}}", "CPU cfs quota can not be less than 1ms (i.e. 1000)");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuQuota\":-2}}", "Invalid value -2 for CpuQuota: use -1 for no limit");
    }

    @Test
    void memorySwapRules() throws IOException {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":33554432}}",
                "Minimum memoryswap limit should be larger than memory limit, see usage.");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"MemorySwap\":33554432}}",
                "You should always set the Memory limit when using Memoryswap limit, see usage.");
        var swap = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":134217728}}", BUSYBOX).resources();
        assertThat(swap.memorySwapBytes()).isEqualTo(134217728L);
        assertThat(swap.swapLimit()).isEqualTo(134217728L);
        var unlimited = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":-1}}", BUSYBOX).resources();
        assertThat(unlimited.swapLimit()).isEqualTo(-1);
        // Unset: Docker's default, as much swap as memory (MemorySwap twice the memory), as its inspect shows
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":67108864}}", BUSYBOX).resources().swapLimit())
                .isEqualTo(134217728L);
    }

    @Test
    void fieldsBerthDoesNotImplementAreRefusedByNameNotDropped() throws IOException {
        // VolumesFrom is read now (MountRequestsTest): an unknown container is Docker's 404, not a refusal
        assertThatThrownBy(() -> translate("{\"Image\":\"busybox\",\"HostConfig\":{\"VolumesFrom\":[\"other\"]}}", BUSYBOX))
                .isInstanceOf(io.berth.oci.errors.NotFoundException.class).hasMessage("No such container: other");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"VolumeDriver\":\"nfs\"}}", "berth does not support HostConfig.VolumeDriver=nfs yet");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"UsernsMode\":\"private\"}}", "berth does not support HostConfig.UsernsMode=private yet");
        // Links are read now (LinkRequestsTest): a container that does not exist is Docker's message, as a 400
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Links\":[\"db:db\"]}}", "could not get container for db: No such container: db");
        rejects("{\"Image\":\"busybox\",\"Domainname\":\"example.org\"}", "berth does not support Config.Domainname=example.org yet");
        rejects("{\"Image\":\"busybox\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"Links\":[\"db\"]}}}}",
                "berth does not support NetworkingConfig.EndpointsConfig.bridge.Links other than HostConfig.Links yet");
        // links on a user-defined network are read now (ContainerNetworkRequestsTest); on host there is nothing to resolve them
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"host\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"host\":{\"Links\":[\"db\"]}}}}",
                "berth does not support NetworkingConfig.EndpointsConfig.host.Links here: links are only supported for user-defined networks");
        rejects("{\"Image\":\"busybox\",\"SomeFutureField\":\"on\"}", "berth does not support Config.SomeFutureField=on yet");
        // What clients send when the options were not given, and values that say what berth does anyway.
        translate("{\"Image\":\"busybox\",\"Volumes\":{},\"ExposedPorts\":null,\"NetworkDisabled\":true,\"HostConfig\":{\"Binds\":null,"
                + "\"LogConfig\":{\"Type\":\"\",\"Config\":{}},\"NetworkMode\":\"none\",\"IpcMode\":\"private\",\"Tmpfs\":{},"
                + "\"ConsoleSize\":[24,80]},\"NetworkingConfig\":{\"EndpointsConfig\":{\"default\":{\"IPAMConfig\":null,\"Aliases\":null}}}}", BUSYBOX);
    }

    @Test
    void logConfigIsTheRequestsOverTheDaemonsDefaultAndCheckedAsDocker() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).lifecycle().log()).isEqualTo(LogSettings.JSON_FILE);
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Type\":\"\",\"Config\":{}}}}", BUSYBOX)
                .lifecycle().log()).isEqualTo(LogSettings.JSON_FILE);
        LogSettings local = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Type\":\"local\","
                + "\"Config\":{\"max-size\":\"1m\"}}}}", BUSYBOX).lifecycle().log();
        assertThat(local).isEqualTo(new LogSettings("local", Map.of("max-size", "1m")));
        assertThat(local.maxSize()).isEqualTo(1_000_000);
        assertThat(local.maxFile()).isEqualTo(5);
        assertThat(local.compress()).isTrue();
        LogSettings daemonDefault = new LogSettings("local", Map.of("max-file", "3"));
        assertThat(CreateRequestTranslator.logSettings(json("{\"Config\":{\"max-size\":\"2k\"}}"), daemonDefault))
                .isEqualTo(new LogSettings("local", Map.of("max-file", "3", "max-size", "2k")));
        assertThat(CreateRequestTranslator.logSettings(json("{\"Type\":\"json-file\"}"), daemonDefault)).isEqualTo(LogSettings.JSON_FILE);
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Type\":\"syslog\"}}}",
                "logger: no log driver named 'syslog' is registered");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"tag\":\"x\"}}}}",
                "unknown log opt 'tag' for json-file log driver");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Type\":\"none\",\"Config\":{\"max-size\":\"1m\"}}}}",
                "unknown log opt 'max-size' for none log driver");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Config\":{\"max-size\":\"-5\"}}}}",
                "invalid size: '-5'");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Config\":{\"max-size\":\"0\"}}}}",
                "max-size must be a positive number");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Config\":{\"max-file\":\"0\"}}}}",
                "max-file cannot be less than 1");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Config\":{\"max-size\":\"1m\",\"compress\":\"true\"}}}}",
                "compress cannot be true when max-file is less than 2 or max-size is not set");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"LogConfig\":{\"Config\":{\"max-file\":3}}}}",
                "log opt 'max-file' must be a string");
    }

    @Test
    void theDockerClisDefaultLimitsPass() throws IOException {
        // What the docker CLI sends when none of these flags is given.
        translate("{\"Image\":\"busybox\",\"HostConfig\":{\"MemoryReservation\":0,\"MemorySwappiness\":-1,\"OomKillDisable\":false,"
                + "\"CpusetCpus\":\"\",\"CpusetMems\":\"\",\"ShmSize\":0,\"BlkioWeight\":0,\"OomScoreAdj\":0,\"KernelMemory\":0}}", BUSYBOX);
        translate("{\"Image\":\"busybox\",\"HostConfig\":{\"MemorySwappiness\":null,\"ShmSize\":67108864}}", BUSYBOX);
    }

    /** The body `docker create busybox true` sends (docker CLI 28.2.2, captured): every default passes. */
    @Test
    void theDockerClisDefaultBodyPasses() throws IOException {
        JsonNode body;
        try (var in = getClass().getResourceAsStream("docker-cli-28-create.json")) {
            body = ApiJson.MAPPER.readTree(in);
        }
        BodyTypes.create(body);
        ContainerSpec spec = translator.translate(ID, "web", body, BUSYBOX, List.of(Path.of("/layers/0")));
        assertThat(spec.resources()).isEqualTo(io.berth.runtime.Resources.UNLIMITED);
    }

    @Test
    void negativeCpuSharesAreRejected() {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"CpuShares\":-2}}", "invalid CPU shares (-2): value must be a positive integer");
    }

    @Test
    void memoryHasASixMegabyteMinimum() throws IOException {
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":" + (6 * 1024 * 1024 - 1) + "}}", "Minimum memory limit allowed is 6MB");
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":-5}}", "Minimum memory limit allowed is 6MB");
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":6291456}}", BUSYBOX).resources().memoryBytes())
                .isEqualTo(6291456L);
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":0}}", BUSYBOX).resources().memoryBytes()).isZero();
    }

    @Test
    void pidsLimitAndCpuSharesAreCarried() throws IOException {
        var r = translate("{\"Image\":\"busybox\",\"HostConfig\":{\"PidsLimit\":64,\"CpuShares\":512}}", BUSYBOX).resources();
        assertThat(r.pidsLimit()).isEqualTo(64);
        assertThat(r.cpuShares()).isEqualTo(512);
        // Docker's -1 means unlimited, which is berth's 0.
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"PidsLimit\":-1}}", BUSYBOX).resources().pidsLimit()).isZero();
    }

    @Test
    void noNewPrivilegesForms() throws IOException {
        for (String form : List.of("no-new-privileges", "no-new-privileges:true", "no-new-privileges=true")) {
            assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"SecurityOpt\":[\"" + form + "\"]}}", BUSYBOX)
                    .security().noNewPrivileges()).as(form).isTrue();
        }
        for (String form : List.of("no-new-privileges:false", "no-new-privileges=false")) {
            assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"SecurityOpt\":[\"" + form + "\"]}}", BUSYBOX)
                    .security().noNewPrivileges()).as(form).isFalse();
        }
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).security().noNewPrivileges()).isFalse();
    }

    private static String withSecurityOpt(String... opts) {
        StringBuilder b = new StringBuilder("{\"Image\":\"busybox\",\"HostConfig\":{\"SecurityOpt\":[");
        for (int i = 0; i < opts.length; i++) {
            if (i > 0) b.append(',');
            b.append(ApiJson.MAPPER.valueToTree(opts[i]).toString());
        }
        return b.append("]}}").toString();
    }

    @Test
    void seccompOptionsAreCarriedToTheSpec() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\"}", BUSYBOX).security().seccomp()).isEqualTo(SeccompSetting.BUILTIN);
        assertThat(translate(withSecurityOpt("seccomp=unconfined"), BUSYBOX).security().seccomp()).isEqualTo(SeccompSetting.UNCONFINED);
        assertThat(translate(withSecurityOpt("seccomp:unconfined"), BUSYBOX).security().seccomp()).isEqualTo(SeccompSetting.UNCONFINED);
        assertThat(translate(withSecurityOpt("seccomp=builtin"), BUSYBOX).security().seccomp()).isEqualTo(SeccompSetting.BUILTIN);
        String profile = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
        ContainerSpec spec = translate(withSecurityOpt("seccomp=" + profile, "no-new-privileges"), BUSYBOX);
        assertThat(spec.security().seccomp().kind()).isEqualTo(SeccompSetting.Kind.PROFILE);
        assertThat(spec.security().seccomp().profile()).isEqualTo(profile);
        assertThat(spec.security().noNewPrivileges()).isTrue();
        rejectsWith(withSecurityOpt("seccomp={\"defaultAction\":\"SCMP_ACT_NOPE\"}"), "invalid seccomp profile: unknown action");
        rejectsWith(withSecurityOpt("seccomp=/etc/profile.json"), "invalid seccomp profile: not valid JSON");
    }

    @Test
    void lsmOptionsAreRefusedOnAHostWithoutThemAndUnknownOnesNamed() throws IOException {
        CreateRequestTranslator bare = new CreateRequestTranslator(new SecurityOptions.HostLsm(false, false));
        assertThatThrownBy(() -> bare.translate(ID, "web", json(withSecurityOpt("apparmor=docker-default")), BUSYBOX, List.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid --security-opt: \"apparmor=docker-default\": AppArmor is not enabled on this host");
        assertThatThrownBy(() -> bare.translate(ID, "web", json(withSecurityOpt("label=type:svirt_apache_t")), BUSYBOX, List.of()))
                .hasMessage("invalid --security-opt: \"label=type:svirt_apache_t\": SELinux is not enabled on this host");
        CreateRequestTranslator withLsm = new CreateRequestTranslator(new SecurityOptions.HostLsm(true, true));
        assertThatThrownBy(() -> withLsm.translate(ID, "web", json(withSecurityOpt("apparmor=docker-default")), BUSYBOX, List.of()))
                .hasMessageContaining("berth does not apply AppArmor profiles");
        // asking for no confinement by an LSM is what berth does: these hold on any host
        bare.translate(ID, "web", json(withSecurityOpt("apparmor=unconfined", "label=disable", "disable")), BUSYBOX, List.of());
        rejects(withSecurityOpt("bogus=1"), "invalid --security-opt: \"bogus=1\": berth does not support \"bogus\"");
        rejectsWith(withSecurityOpt("writable-cgroups=true"), "berth does not support \"writable-cgroups\"");
        rejects(withSecurityOpt("nonsense"), "invalid --security-opt: \"nonsense\"");
        rejectsWith(withSecurityOpt("no-new-privileges=maybe"), "not a boolean");
    }

    @Test
    void runtimeMustBeCrunOrRunc() throws IOException {
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Runtime\":\"runc\"}}", BUSYBOX).lifecycle().runtime()).isEqualTo("runc");
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Runtime\":\"crun\"}}", BUSYBOX).lifecycle().runtime()).isEqualTo("crun");
        assertThat(translate("{\"Image\":\"busybox\",\"HostConfig\":{\"Runtime\":\"\"}}", BUSYBOX).lifecycle().runtime()).isNull();
        rejects("{\"Image\":\"busybox\",\"HostConfig\":{\"Runtime\":\"kata\"}}", "unknown or invalid runtime name: kata");
    }

    @Test
    void theImagesVolumesBecomeAnonymousVolumesUnlessTheRequestMountsThere() throws IOException {
        List<String> provided = new java.util.ArrayList<>();
        ContainerVolumes volumes = new ContainerVolumes() {
            @Override
            public Provided provide(String name) {
                provided.add(name);
                return new Provided("v" + provided.size(), Path.of("/vols/v" + provided.size() + "/_data"));
            }

            @Override
            public void removeAnonymous(ContainerSpec spec) {}
        };
        ImageDefaults db = new ImageDefaults("sha256:" + "e".repeat(64), List.of(), List.of("sh"), List.of(), "", "", "", Map.of(),
                List.of("/var/lib/db", "/logs"));
        ContainerSpec spec = new CreateRequestTranslator(SecurityOptions.HostLsm.detect(), 2, volumes).translate(ID, "db",
                json("{\"Image\":\"db\",\"Volumes\":{\"/extra\":{}},\"HostConfig\":{\"Binds\":[\"/srv/db:/var/lib/db\"]}}"), db, List.of());
        assertThat(spec.mounts().mounts()).extracting(m -> m.destination() + "=" + m.volume())
                .containsExactly("/var/lib/db=", "/logs=v1", "/extra=v2");
        assertThat(provided).containsExactly("", "");
    }
}
