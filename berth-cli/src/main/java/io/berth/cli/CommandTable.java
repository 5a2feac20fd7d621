package io.berth.cli;

import io.berth.cli.command.AttachCommand;
import io.berth.cli.command.BuildCommand;
import io.berth.cli.command.BuilderPruneCommand;
import io.berth.cli.command.CommitCommand;
import io.berth.cli.command.DiffCommand;
import io.berth.cli.command.ExportCommand;
import io.berth.cli.command.UpdateCommand;
import io.berth.cli.command.ComposeCommand;
import io.berth.cli.command.ContainerPruneCommand;
import io.berth.cli.command.CpCommand;
import io.berth.cli.command.CreateCommand;
import io.berth.cli.command.EventsCommand;
import io.berth.cli.command.ExecCommand;
import io.berth.cli.command.HistoryCommand;
import io.berth.cli.command.ImagePruneCommand;
import io.berth.cli.command.ImagesCommand;
import io.berth.cli.command.ImportCommand;
import io.berth.cli.command.InfoCommand;
import io.berth.cli.command.InspectCommand;
import io.berth.cli.command.KillCommand;
import io.berth.cli.command.LoadCommand;
import io.berth.cli.command.LoginCommand;
import io.berth.cli.command.LogoutCommand;
import io.berth.cli.command.LogsCommand;
import io.berth.cli.command.MakeBusyboxCommand;
import io.berth.cli.command.PauseCommand;
import io.berth.cli.command.PsCommand;
import io.berth.cli.command.PullCommand;
import io.berth.cli.command.PushCommand;
import io.berth.cli.command.RenameCommand;
import io.berth.cli.command.RestartCommand;
import io.berth.cli.command.RmCommand;
import io.berth.cli.command.RmiCommand;
import io.berth.cli.command.RunCommand;
import io.berth.cli.command.SaveCommand;
import io.berth.cli.command.StartCommand;
import io.berth.cli.command.StatsCommand;
import io.berth.cli.command.StopCommand;
import io.berth.cli.command.SystemCheckCommand;
import io.berth.cli.command.SystemDfCommand;
import io.berth.cli.command.TagCommand;
import io.berth.cli.command.TopCommand;
import io.berth.cli.command.PortCommand;
import io.berth.cli.command.UnpauseCommand;
import io.berth.cli.command.VersionCommand;
import io.berth.cli.command.NetworkCreateCommand;
import io.berth.cli.command.NetworkLsCommand;
import io.berth.cli.command.NetworkPruneCommand;
import io.berth.cli.command.NetworkRmCommand;
import io.berth.cli.command.VolumeCreateCommand;
import io.berth.cli.command.VolumeLsCommand;
import io.berth.cli.command.VolumePruneCommand;
import io.berth.cli.command.VolumeRmCommand;
import io.berth.cli.command.WaitCommand;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command by name. Picocli builds an annotated command's model by reflection, so {@link Main}
 * only builds the one the arguments name (and the whole table when it must print a command list); the
 * commands that are {@link CommandModel.InCode} give their model without any.
 */
final class CommandTable {

    /** A command or a group of commands; {@code stopAtPositional} leaves a container command's own flags alone. */
    record Entry(String name, List<String> aliases, Supplier<Object> factory, boolean stopAtPositional,
                 String description, List<Entry> children) {

        boolean matches(String word) {
            return name.equals(word) || aliases.contains(word);
        }

        CommandLine build() {
            if (children != null) {
                return new CommandLine(new Group().model(name, description));
            }
            Object command = factory.get();
            CommandLine cl = new CommandLine(command instanceof CommandModel.InCode c ? c.model() : command);
            cl.setStopAtPositional(stopAtPositional);
            return cl;
        }
    }

    /** A command group such as {@code container}: without a subcommand it prints its usage. */
    static final class Group implements Runnable {
        CommandSpec spec;

        /** Built in code ({@link CommandModel}): {@code container ls} and the like pass through a group. */
        CommandSpec model(String name, String description) {
            spec = CommandModel.of(this, name, description).help().spec();
            spec.usageMessage().synopsisSubcommandLabel("COMMAND");
            return spec;
        }

        @Override
        public void run() {
            spec.commandLine().usage(((BerthCommand) spec.root().userObject()).io().out());
        }
    }

    private CommandTable() {}

    private static Entry cmd(String name, Supplier<Object> factory, String... aliases) {
        return new Entry(name, List.of(aliases), factory, false, null, null);
    }

    private static Entry positional(String name, Supplier<Object> factory) {
        return new Entry(name, List.of(), factory, true, null, null);
    }

    private static Entry group(String name, String description, List<Entry> children) {
        return new Entry(name, List.of(), null, false, description, children);
    }

    static List<Entry> root() {
        return List.of(
                positional("run", RunCommand::new),
                positional("exec", ExecCommand::new),
                cmd("ps", PsCommand::new),
                cmd("images", ImagesCommand::new),
                cmd("pull", PullCommand::new),
                cmd("push", PushCommand::new),
                cmd("login", LoginCommand::new),
                cmd("logout", LogoutCommand::new),
                cmd("info", InfoCommand::new),
                cmd("version", VersionCommand::new),
                positional("create", CreateCommand::new),
                cmd("start", StartCommand::new),
                cmd("stop", StopCommand::new),
                cmd("restart", RestartCommand::new),
                cmd("kill", KillCommand::new),
                cmd("rm", RmCommand::new),
                cmd("logs", LogsCommand::new),
                cmd("wait", WaitCommand::new),
                cmd("inspect", InspectCommand::new),
                positional("top", TopCommand::new),
                cmd("port", PortCommand::new),
                cmd("stats", StatsCommand::new),
                cmd("pause", PauseCommand::new),
                cmd("unpause", UnpauseCommand::new),
                cmd("rename", RenameCommand::new),
                cmd("cp", CpCommand::new),
                cmd("attach", AttachCommand::new),
                cmd("commit", CommitCommand::new),
                cmd("diff", DiffCommand::new),
                cmd("export", ExportCommand::new),
                cmd("update", UpdateCommand::new),
                cmd("tag", TagCommand::new),
                cmd("rmi", RmiCommand::new),
                cmd("history", HistoryCommand::new),
                cmd("load", LoadCommand::new),
                cmd("save", SaveCommand::new),
                cmd("import", ImportCommand::new),
                cmd("events", EventsCommand::new),
                cmd("build", BuildCommand::new),
                positional("compose", ComposeCommand::new),
                group("builder", "Manage builds", builder()),
                group("container", "Manage containers", container()),
                group("image", "Manage images", image()),
                group("network", "Manage networks", network()),
                group("system", "Manage berth", system()),
                group("volume", "Manage volumes", volume()));
    }

    static List<Entry> container() {
        return List.of(
                positional("run", RunCommand::new),
                positional("create", CreateCommand::new),
                positional("exec", ExecCommand::new),
                cmd("ls", PsCommand::new, "ps", "list"),
                cmd("start", StartCommand::new),
                cmd("stop", StopCommand::new),
                cmd("restart", RestartCommand::new),
                cmd("kill", KillCommand::new),
                cmd("rm", RmCommand::new, "remove"),
                cmd("logs", LogsCommand::new),
                cmd("wait", WaitCommand::new),
                cmd("inspect", () -> new InspectCommand("container")),
                positional("top", TopCommand::new),
                cmd("port", PortCommand::new),
                cmd("stats", StatsCommand::new),
                cmd("pause", PauseCommand::new),
                cmd("unpause", UnpauseCommand::new),
                cmd("rename", RenameCommand::new),
                cmd("cp", CpCommand::new),
                cmd("attach", AttachCommand::new),
                cmd("commit", CommitCommand::new),
                cmd("diff", DiffCommand::new),
                cmd("export", ExportCommand::new),
                cmd("update", UpdateCommand::new),
                cmd("prune", ContainerPruneCommand::new));
    }

    static List<Entry> image() {
        return List.of(
                cmd("ls", ImagesCommand::new, "list", "images"),
                cmd("build", BuildCommand::new),
                cmd("inspect", () -> new InspectCommand("image")),
                cmd("rm", RmiCommand::new, "remove", "rmi"),
                cmd("tag", TagCommand::new),
                cmd("history", HistoryCommand::new),
                cmd("load", LoadCommand::new),
                cmd("save", SaveCommand::new),
                cmd("import", ImportCommand::new),
                cmd("pull", PullCommand::new),
                cmd("push", PushCommand::new),
                cmd("prune", ImagePruneCommand::new),
                cmd("make-busybox", MakeBusyboxCommand::new));
    }

    static List<Entry> volume() {
        return List.of(
                cmd("create", VolumeCreateCommand::new),
                cmd("ls", VolumeLsCommand::new, "list"),
                cmd("inspect", () -> new InspectCommand("volume")),
                cmd("rm", VolumeRmCommand::new, "remove"),
                cmd("prune", VolumePruneCommand::new));
    }

    static List<Entry> network() {
        return List.of(
                cmd("create", NetworkCreateCommand::new),
                cmd("ls", NetworkLsCommand::new, "list"),
                cmd("inspect", () -> new InspectCommand("network")),
                cmd("rm", NetworkRmCommand::new, "remove"),
                cmd("prune", NetworkPruneCommand::new));
    }

    static List<Entry> builder() {
        return List.of(
                cmd("build", BuildCommand::new),
                cmd("prune", BuilderPruneCommand::new));
    }

    static List<Entry> system() {
        return List.of(
                cmd("df", SystemDfCommand::new),
                cmd("check", SystemCheckCommand::new),
                cmd("info", InfoCommand::new),
                cmd("events", EventsCommand::new));
    }
}
