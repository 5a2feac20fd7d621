package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth system check [--repair]}: berthd verifies every blob's digest, every snapshot against the layer
 * its images expect, and every image and container reference; exits 1 while problems remain.
 */
@Command(name = "check", description = "Verify the image store (blobs, snapshots, references)")
public final class SystemCheckCommand extends ApiCommand {

    @Option(names = "--repair", description = "Remove what nothing references, and report what was removed")
    boolean repair;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        JsonNode report = client().systemCheck(repair);
        JsonNode checked = report.path("Checked");
        out().println("Checked " + checked.path("Blobs").asInt() + " blobs, " + checked.path("Snapshots").asInt()
                + " snapshots, " + checked.path("Images").asInt() + " images, "
                + checked.path("References").asInt() + " references");
        JsonNode repaired = report.path("Repaired");
        if (!repaired.isEmpty()) {
            long bytes = 0;
            out().println("Removed:");
            for (JsonNode r : repaired) {
                out().println("  " + r.path("Removed").asText() + "  " + Humanize.size(r.path("Size").asDouble()));
                bytes += r.path("Size").asLong();
            }
            out().println("Total reclaimed space: " + Humanize.size(bytes));
        }
        for (JsonNode note : report.path("Notes")) {
            out().println("Note: " + note.asText());
        }
        JsonNode problems = report.path("Problems");
        if (problems.isEmpty()) {
            out().println("No problems found");
            return 0;
        }
        out().println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
        for (JsonNode p : problems) {
            out().println("  " + p.path("Object").asText() + ": " + p.path("Problem").asText());
        }
        if (!repair) {
            out().println("Run 'berth system check --repair' to remove what nothing references.");
        }
        return 1;
    }
}
