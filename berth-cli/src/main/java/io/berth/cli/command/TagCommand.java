package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class TagCommand extends ApiCommand implements CommandModel.InCode {

    boolean help;

    String source;

    String target;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE");
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.positional("0", v -> source = v, () -> source, "SOURCE_IMAGE");
        model.positional("1", v -> target = v, () -> target, "TARGET_IMAGE");
        model.spec().usageMessage().customSynopsis("berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]");
        spec = model.spec();
        return spec;
    }

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(target);
        client().tagImage(source, ref.repository(), ref.tagOrLatest());
        return 0;
    }
}
