package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.ContainerConfig;
import io.berth.runtime.ContainerSpec;

class CommitConfigTest {
    private static final ContainerConfig NGINX = new ContainerConfig("nginx", Map.of("80/tcp", Map.of()),
            List.of("PATH=/bin", "V=1"), List.of("/entry.sh"), List.of("nginx", "-g", "daemon off;"), null, "/srv",
            Map.of("tier", "image"), "SIGQUIT", null, null, null);

    private static ContainerSpec container(String body) throws Exception {
        ImageDefaults image = new ImageDefaults("sha256:" + "c".repeat(64), NGINX.entrypoint(), NGINX.cmd(), NGINX.env(),
                NGINX.workingDir(), NGINX.user(), NGINX.stopSignal(), NGINX.labels());
        return new CreateRequestTranslator(2).translate("0123456789abcdef".repeat(4), "web", ApiJson.MAPPER.readTree(body),
                image, List.of(Path.of("/layers/0")));
    }

    @Test
    void theContainersOwnConfigIsTheImageUnderTheCreateRequest() throws Exception {
        ContainerConfig c = CommitConfig.of(container("""
                {"Image":"nginx","Cmd":["sh"],"Env":["V=2","W=3"],"Labels":{"run":"yes"},
                 "WorkingDir":"/tmp","User":"root"}"""), NGINX);
        assertThat(c.entrypoint()).containsExactly("/entry.sh");
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.env()).containsExactly("V=2", "W=3", "PATH=/bin"); // Docker's create order: the request's, then the image's
        assertThat(c.labels()).containsEntry("tier", "image").containsEntry("run", "yes");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp");
        assertThat(c.workingDir()).isEqualTo("/tmp");
        assertThat(c.user()).isEqualTo("root");
        assertThat(c.stopSignal()).isEqualTo("SIGQUIT");

        ContainerConfig ownEntrypoint = CommitConfig.of(container("{\"Image\":\"nginx\",\"Entrypoint\":[\"top\"]}"), NGINX);
        assertThat(ownEntrypoint.entrypoint()).containsExactly("top");
        assertThat(ownEntrypoint.cmd()).as("an explicit entrypoint drops the image's command").isNull();
    }

    /** Before: the image's healthcheck was kept, the container's own (--health-cmd) dropped, and HEALTHCHECK refused. */
    @Test
    void theContainersHealthcheckIsCommittedAndAHealthcheckChangeReplacesIt() throws Exception {
        ContainerConfig own = CommitConfig.of(container("""
                {"Image":"nginx","Healthcheck":{"Test":["CMD","true"],"Interval":1000000000}}"""), NGINX);
        assertThat(own.healthcheck().path("Test").toString()).isEqualTo("[\"CMD\",\"true\"]");
        assertThat(own.healthcheck().path("Interval").asLong()).isEqualTo(1_000_000_000L);
        assertThat(CommitConfig.of(container("{\"Image\":\"nginx\"}"), NGINX).healthcheck()).isNull();
        ContainerConfig changed = CommitConfig.withChanges(own, ImportChanges.apply(List.of("HEALTHCHECK NONE")));
        assertThat(changed.healthcheck().path("Test").toString()).isEqualTo("[\"NONE\"]");
        assertThat(CommitConfig.withChanges(own, ImportChanges.apply(List.of("CMD [\"x\"]"))).healthcheck()).isEqualTo(own.healthcheck());
    }

    @Test
    void changesApplyAsDockerfileInstructions() {
        ContainerConfig cmdOnly = CommitConfig.withChanges(NGINX, ImportChanges.apply(List.of("CMD [\"echo\", \"hi\"]")));
        assertThat(cmdOnly.cmd()).containsExactly("echo", "hi");
        assertThat(cmdOnly.entrypoint()).containsExactly("/entry.sh");

        ContainerConfig entrypoint = CommitConfig.withChanges(NGINX, ImportChanges.apply(List.of("ENTRYPOINT [\"/other\"]")));
        assertThat(entrypoint.entrypoint()).containsExactly("/other");
        assertThat(entrypoint.cmd()).as("ENTRYPOINT resets the command, as in a Dockerfile").isNull();

        ContainerConfig both = CommitConfig.withChanges(NGINX,
                ImportChanges.apply(List.of("ENTRYPOINT [\"/other\"]", "CMD [\"x\"]")));
        assertThat(both.cmd()).containsExactly("x");

        ContainerConfig rest = CommitConfig.withChanges(NGINX, ImportChanges.apply(List.of("ENV V=9 N=1", "LABEL a=b",
                "EXPOSE 8080", "VOLUME /data", "WORKDIR /w", "USER 1000", "STOPSIGNAL SIGINT", "ONBUILD RUN x")));
        assertThat(rest.env()).containsExactly("PATH=/bin", "V=9", "N=1");
        assertThat(rest.labels()).containsEntry("tier", "image").containsEntry("a", "b");
        assertThat(rest.exposedPorts()).containsOnlyKeys("80/tcp", "8080/tcp");
        assertThat(rest.volumes()).containsOnlyKeys("/data");
        assertThat(rest.workingDir()).isEqualTo("/w");
        assertThat(rest.user()).isEqualTo("1000");
        assertThat(rest.stopSignal()).isEqualTo("SIGINT");
        assertThat(rest.onBuild()).containsExactly("RUN x");
        assertThat(rest.cmd()).isEqualTo(NGINX.cmd());
        assertThat(CommitConfig.withChanges(NGINX, ImportChanges.apply(List.of("WORKDIR html/../www"))).workingDir())
                .isEqualTo("/srv/www");
    }
}
