package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./berth quickstart} installs the {@code docker compose} plugin: quickstart's own line runs here, into this
 * test's plugin directory (never the machine's), and the docker CLI then takes the plugin (its metadata) and runs
 * berth compose through it. No daemon: {@code compose version} answers without one.
 */
class QuickstartComposePluginTest {
    private static final Path ROOT = DebianBaseImage.script().getParent().getParent();

    @TempDir
    Path config;

    /** The line of scripts/quickstart.sh that installs the plugin, run as quickstart runs it. */
    private Cmd.Result quickstartsInstall() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("scripts/quickstart.sh")).stream()
                .filter(l -> l.contains("install-compose-plugin.sh")).toList();
        assertThat(lines).as("quickstart installs the plugin, once").hasSize(1);
        return Cmd.run(List.of("bash", "-c", "set -euo pipefail; " + lines.getFirst()),
                Map.of("BERTH_ROOT", ROOT.toString(), "BERTH_CLI_PLUGINS_DIR", config.resolve("cli-plugins").toString()),
                null, Duration.ofSeconds(30));
    }

    @Test
    void quickstartInstallsTheDockerComposePluginThatTheDockerCliRuns() throws Exception {
        Path plugin = config.resolve("cli-plugins/docker-compose");
        Files.createDirectories(plugin.getParent());
        Files.writeString(plugin, "#!/bin/sh\necho another compose\n");
        Cmd.Result install = quickstartsInstall().orFail();
        assertThat(install.out()).isEqualTo("install-compose-plugin: " + plugin + " -> " + ROOT.resolve("scripts/docker-compose-plugin"));
        assertThat(Files.readSymbolicLink(plugin)).isEqualTo(ROOT.resolve("scripts/docker-compose-plugin"));
        // a plugin that was not berth's is kept aside, not lost
        assertThat(Files.readString(plugin.resolveSibling("docker-compose.orig-berth"))).contains("another compose");
        // quickstart runs it every time: quiet once in place
        assertThat(quickstartsInstall().orFail().stdout()).isEmpty();

        // what the docker CLI reads to take a plugin: schema 0.1.0, a vendor, the version berth compose answers
        Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_HOST", "unix:///nonexistent.sock");
        JsonNode meta = new ObjectMapper().readTree(Cmd.run(List.of(plugin.toString(), "docker-cli-plugin-metadata"), env, null,
                Duration.ofSeconds(30)).orFail().out());
        String berthVersion = Cmd.run(List.of(ROOT.resolve("berth").toString(), "compose", "version"), Map.of(), null,
                Duration.ofSeconds(60)).orFail().out();
        String shortVersion = Cmd.run(List.of(ROOT.resolve("berth").toString(), "compose", "version", "--short"), Map.of(), null,
                Duration.ofSeconds(60)).orFail().out();
        assertThat(meta.path("SchemaVersion").asText()).isEqualTo("0.1.0");
        assertThat(meta.path("Vendor").asText()).isEqualTo("berth");
        assertThat(meta.path("Version").asText()).isEqualTo("v" + shortVersion);
        assertThat(meta.path("ShortDescription").asText()).isNotEmpty();

        // and the docker CLI lists it and runs berth compose through it
        assertThat(Cmd.run(List.of("/usr/local/bin/docker", "--help"), env, null, Duration.ofSeconds(30)).orFail().stdout())
                .containsPattern("compose\\*\\s+Docker Compose \\(berth compose\\)");
        assertThat(Cmd.run(List.of("/usr/local/bin/docker", "compose", "version"), env, null, Duration.ofSeconds(60)).orFail().out())
                .isEqualTo(berthVersion).startsWith("Docker Compose version v2");
        assertThat(Cmd.run(List.of("/usr/local/bin/docker", "compose", "version", "--short"), env, null, Duration.ofSeconds(60))
                .orFail().out()).isEqualTo(shortVersion);
    }
}
