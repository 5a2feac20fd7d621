package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", description = "Remove one or more images")
public final class RmiCommand extends ForEachContainer {

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    String apply(String image) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode item : client().removeImage(image, force, noPrune)) {
            if (item.hasNonNull("Untagged")) {
                lines.append(lines.isEmpty() ? "" : "\n").append("Untagged: ").append(item.get("Untagged").asText());
            }
            if (item.hasNonNull("Deleted")) {
                lines.append(lines.isEmpty() ? "" : "\n").append("Deleted: ").append(item.get("Deleted").asText());
            }
        }
        return lines.isEmpty() ? null : lines.toString();
    }

    @Override
    public Integer call() {
        return forEach(images);
    }
}
