package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Create a new image from a container's changes")
public final class CommitCommand extends ApiCommand {

    @Option(names = {"-a", "--author"}, paramLabel = "string", description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Commit message")
    String message;

    @Option(names = {"-p", "--pause"}, paramLabel = "bool", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Pause container during commit (default true)")
    boolean pause;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Override
    public Integer call() {
        String repo = null;
        String tag = null;
        if (reference != null && !reference.isEmpty()) {
            ImageRef ref = ImageRef.parse(reference);
            repo = ref.repository();
            tag = ref.tag();
        }
        out().println(client().commit(container, repo, tag, message, author, pause, changes).path("Id").asText());
        return 0;
    }
}
