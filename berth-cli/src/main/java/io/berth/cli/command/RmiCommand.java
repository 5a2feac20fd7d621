package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class RmiCommand extends ForEachContainer implements CommandModel.InCode {

    boolean force;

    boolean noPrune;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "rmi", "Remove one or more images");
        model.add(OptionSpec.builder("-f", "--force")
                .description("Force removal of the image"),
                boolean.class, v -> force = v, () -> force);
        model.add(OptionSpec.builder("--no-prune")
                .description("Do not delete untagged parents"),
                boolean.class, v -> noPrune = v, () -> noPrune);
        return withTargets(model, "IMAGE");
    }

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
}
