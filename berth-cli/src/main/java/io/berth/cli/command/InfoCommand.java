package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.Main;
import io.berth.cli.format.GoTemplate;
import io.berth.cli.format.Humanize;
import io.berth.client.EngineClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", description = "Display system-wide information")
public final class InfoCommand extends ApiCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        JsonNode info = client().info();
        if (format != null) {
            out().println(GoTemplate.parse(format).execute(EngineClient.json().convertValue(info, Object.class)));
            return 0;
        }
        out().println("Client:");
        out().println(" Version:    " + Main.VERSION);
        out().println(" Context:    default");
        out().println(" Debug Mode: " + root().debug());
        out().println();
        out().println("Server:");
        out().println(" Containers: " + info.path("Containers").asLong());
        out().println("  Running: " + info.path("ContainersRunning").asLong());
        out().println("  Paused: " + info.path("ContainersPaused").asLong());
        out().println("  Stopped: " + info.path("ContainersStopped").asLong());
        out().println(" Images: " + info.path("Images").asLong());
        line("Server Version", info.path("ServerVersion"));
        line("Storage Driver", info.path("Driver"));
        line("Logging Driver", info.path("LoggingDriver"));
        line("Cgroup Driver", info.path("CgroupDriver"));
        line("Cgroup Version", info.path("CgroupVersion"));
        List<String> runtimes = new ArrayList<>();
        info.path("Runtimes").properties().forEach(e -> runtimes.add(e.getKey()));
        if (!runtimes.isEmpty()) {
            out().println(" Runtimes: " + String.join(" ", runtimes));
        }
        line("Default Runtime", info.path("DefaultRuntime"));
        line("Init Binary", info.path("InitBinary"));
        line("Kernel Version", info.path("KernelVersion"));
        line("Operating System", info.path("OperatingSystem"));
        line("OSType", info.path("OSType"));
        line("Architecture", info.path("Architecture"));
        line("CPUs", info.path("NCPU"));
        if (info.has("MemTotal")) {
            out().println(" Total Memory: " + Humanize.bytes(info.path("MemTotal").asDouble()));
        }
        line("Name", info.path("Name"));
        line("ID", info.path("ID"));
        line("Docker Root Dir", info.path("DockerRootDir"));
        out().println(" Debug Mode: " + info.path("Debug").asBoolean());
        for (JsonNode w : info.path("Warnings")) {
            err().println(w.asText());
        }
        return 0;
    }

    private void line(String label, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull() && !value.asText().isEmpty()) {
            out().println(" " + label + ": " + value.asText());
        }
    }
}
