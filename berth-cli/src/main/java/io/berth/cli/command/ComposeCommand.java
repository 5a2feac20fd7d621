package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.Main;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RepositoryName;
import io.berth.cli.tty.Terminal;
import io.berth.compose.BuildContexts;
import io.berth.compose.ComposeCli;
import io.berth.compose.ComposeRuntime;
import io.berth.compose.ContainerCommands;
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
        // exec, attach, cp and stats run the CLI's own commands on the same daemon, streams and environment
        ContainerCommands cli = words -> {
            List<String> call = new ArrayList<>();
            if (root().host() != null) call.addAll(List.of("-H", root().host()));
            call.addAll(words);
            return Main.run(call.toArray(String[]::new), io(), env());
        };
        ComposeRuntime rt = new ComposeRuntime(client(), in(), out(), err(), io().stdinIsTerminal(), io().stdoutIsTerminal(),
                io().terminal().test(Terminal.STDERR), contexts,
                image -> DockerConfigFile.load(env()).authFor(RepositoryName.parse(image)), cli);
        return ComposeCli.run(args.toArray(String[]::new), rt, env(), Path.of("").toAbsolutePath());
    }
}
