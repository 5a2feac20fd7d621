package io.berth.cli.command;

import picocli.CommandLine;

/**
 * Parses arguments into the in-code models of volume ls, network ls, start, stop, kill, wait, restart, pause,
 * unpause, rename, tag and rmi and tells what the fields got: what picocli gave the annotated fields for the same
 * arguments.
 */
public final class ListAndLifecycleProbe {

    private ListAndLifecycleProbe() {}

    public static String volumeLs(String... args) {
        VolumeLsCommand c = new VolumeLsCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "quiet=" + c.quiet + " filters=" + c.filters + " format=" + c.format;
    }

    public static String networkLs(String... args) {
        NetworkLsCommand c = new NetworkLsCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "quiet=" + c.quiet + " filters=" + c.filters + " format=" + c.format + " noTrunc=" + c.noTrunc;
    }

    public static String start(String... args) {
        StartCommand c = new StartCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "attach=" + c.attach + " interactive=" + c.interactive + " detachKeys=" + c.detachKeys
                + " containers=" + c.targets;
    }

    public static String stop(String... args) {
        StopCommand c = new StopCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "time=" + c.time + " signal=" + c.signal + " containers=" + c.targets;
    }

    public static String kill(String... args) {
        KillCommand c = new KillCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "signal=" + c.signal + " containers=" + c.targets;
    }

    public static String waitFor(String... args) {
        WaitCommand c = new WaitCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "containers=" + c.targets;
    }

    public static String restart(String... args) {
        RestartCommand c = new RestartCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "time=" + c.time + " signal=" + c.signal + " containers=" + c.targets;
    }

    public static String pause(String... args) {
        PauseCommand c = new PauseCommand();
        new CommandLine(c.model()).parseArgs(args);
        UnpauseCommand u = new UnpauseCommand();
        new CommandLine(u.model()).parseArgs(args);
        return "containers=" + c.targets + " unpause=" + u.targets;
    }

    public static String rename(String... args) {
        RenameCommand c = new RenameCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "container=" + c.container + " newName=" + c.newName;
    }

    public static String tag(String... args) {
        TagCommand c = new TagCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "source=" + c.source + " target=" + c.target;
    }

    public static String rmi(String... args) {
        RmiCommand c = new RmiCommand();
        new CommandLine(c.model()).parseArgs(args);
        return "force=" + c.force + " noPrune=" + c.noPrune + " images=" + c.targets;
    }
}
