package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.Main;
import io.berth.cli.format.GoTemplate;
import io.berth.client.EngineClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Show the berth version information")
public final class VersionCommand extends ApiCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        EngineClient client = client();
        Map<String, Object> clientInfo = new LinkedHashMap<>();
        clientInfo.put("Platform", Map.of("Name", "berth"));
        clientInfo.put("Version", Main.VERSION);
        clientInfo.put("ApiVersion", EngineClient.MAX_API_VERSION);
        clientInfo.put("Os", "linux");
        clientInfo.put("Arch", arch());
        clientInfo.put("Context", "default");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Client", clientInfo);
        JsonNode server = null;
        String serverError = null;
        try {
            server = client.version();
            clientInfo.put("ApiVersion", client.apiVersion());
        } catch (RuntimeException e) {
            serverError = e.getMessage();
        }
        if (format != null) {
            if (server != null) {
                // Only templates need plain maps; the conversion builds Jackson's (de)serializers, ~10 ms.
                data.put("Server", EngineClient.json().convertValue(server, Object.class));
            }
            out().println(GoTemplate.parse(format).execute(data));
        } else {
            print(clientInfo, server);
        }
        if (serverError != null) {
            throw new io.berth.cli.CliException(1, serverError);
        }
        return 0;
    }

    private void print(Map<String, Object> c, JsonNode server) {
        out().println("Client:");
        out().printf(" %-19s%s%n", "Version:", c.get("Version"));
        out().printf(" %-19s%s%n", "API version:", c.get("ApiVersion"));
        out().printf(" %-19s%s%n", "Java version:", Runtime.version());
        out().printf(" %-19s%s/%s%n", "OS/Arch:", c.get("Os"), c.get("Arch"));
        out().printf(" %-19s%s%n", "Context:", c.get("Context"));
        if (server == null) {
            return;
        }
        out().println();
        out().println("Server: " + server.path("Platform").path("Name").asText(""));
        for (JsonNode component : server.path("Components")) {
            out().println(" " + component.path("Name").asText() + ":");
            out().printf("  %-18s%s%n", "Version:", component.path("Version").asText());
            JsonNode details = component.path("Details");
            if (component.path("Name").asText().equals("Engine")) {
                out().printf("  %-18s%s (minimum version %s)%n", "API version:", details.path("ApiVersion").asText(server.path("ApiVersion").asText()),
                        details.path("MinAPIVersion").asText(server.path("MinAPIVersion").asText()));
                out().printf("  %-18s%s%n", "Go version:", details.path("GoVersion").asText(server.path("GoVersion").asText()));
                out().printf("  %-18s%s%n", "Git commit:", details.path("GitCommit").asText(server.path("GitCommit").asText()));
                out().printf("  %-18s%s%n", "Built:", details.path("BuildTime").asText(server.path("BuildTime").asText()));
                out().printf("  %-18s%s/%s%n", "OS/Arch:", details.path("Os").asText(server.path("Os").asText()),
                        details.path("Arch").asText(server.path("Arch").asText()));
                out().printf("  %-18s%s%n", "Experimental:", details.path("Experimental").asText("false"));
            } else if (details.has("GitCommit")) {
                out().printf("  %-18s%s%n", "GitCommit:", details.path("GitCommit").asText());
            }
        }
        if (!server.path("Components").isArray() || server.path("Components").isEmpty()) {
            out().println(" Engine:");
            out().printf("  %-18s%s%n", "Version:", server.path("Version").asText());
            out().printf("  %-18s%s (minimum version %s)%n", "API version:", server.path("ApiVersion").asText(),
                    server.path("MinAPIVersion").asText());
            out().printf("  %-18s%s/%s%n", "OS/Arch:", server.path("Os").asText(), server.path("Arch").asText());
        }
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }
}
