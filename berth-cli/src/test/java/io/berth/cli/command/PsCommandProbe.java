package io.berth.cli.command;

import picocli.CommandLine;

/** Parses arguments into {@link PsCommand}'s and {@link ExecCommand}'s in-code models and tells what the fields got. */
public final class PsCommandProbe {

    public String parse(String... args) {
        PsCommand ps = new PsCommand();
        new CommandLine(ps.model()).parseArgs(args);
        return "all=" + ps.all + " quiet=" + ps.quiet + " last=" + ps.last + " format=" + ps.format
                + " filters=" + ps.filters;
    }

    public static String exec(String... args) {
        ExecCommand exec = new ExecCommand();
        new CommandLine(exec.model()).setStopAtPositional(true).parseArgs(args);
        return "env=" + exec.env + " workdir=" + exec.workdir + " i=" + exec.interactive + " t=" + exec.tty
                + " container=" + exec.container + " command=" + exec.command;
    }
}
