package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RepositoryName;
import io.berth.cli.tty.Terminal;
import io.berth.compose.BuildContexts;
import io.berth.compose.ComposeCli;
import io.berth.compose.ComposeRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code berth compose ...}: every word after "compose" goes to berth-compose's own command line, which
 * has its own options and subcommands (the berth CLI only builds this class when "compose" is named).
 */
@Command(name = "compose", description = "Define and run multi-container applications")
public final class ComposeCommand extends ApiCommand {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        BuildContexts contexts = (context, dockerfile) -> {
            BuildContextSource source = BuildContextSource.open(".", dockerfile == null ? null : context.resolve(dockerfile).toString(),
                    in(), context);
            return new BuildContexts.Context(source.tar(), source.dockerfile());
        };
        ComposeRuntime rt = new ComposeRuntime(client(), in(), out(), err(), io().stdoutIsTerminal(),
                io().terminal().test(Terminal.STDERR), contexts,
                image -> DockerConfigFile.load(env()).authFor(RepositoryName.parse(image)));
        return ComposeCli.run(args.toArray(String[]::new), rt, env(), Path.of("").toAbsolutePath());
    }
}
