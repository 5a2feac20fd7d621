package io.berth.build.dockerfile;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction after parsing (line continuations joined, JSON/shell form decided, heredocs
 * attached). Variable substitution is NOT applied here: the builder substitutes with the stage's ENV/ARG
 * values at the time the instruction runs, because ARG/ENV scoping depends on build order.
 *
 * <p>Values are kept <em>as written</em>, quotes and escapes included (e.g. ENV value {@code "a b"} with its
 * double quotes). The builder passes each single value (FROM image and --platform, ENV/LABEL keys and values,
 * ARG defaults, WORKDIR, USER, each EXPOSE/VOLUME word, COPY/ADD sources, destination, --from/--chown/--chmod)
 * through {@link VariableExpander#expand}, which substitutes AND removes the quotes exactly like Docker, so
 * {@code ENV A='$B'} stays the literal {@code $B}. Commands (RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK) are never
 * substituted by the builder: the shell does it. Flag values (RUN/COPY/ADD/FROM/HEALTHCHECK) have had their
 * quotes removed by the flag parser, as Docker does.
 *
 * @see DockerfileParser
 */
public sealed interface Instruction {
    /** Where it came from, for errors ("Dockerfile:12:5: ...") and for `history` (the original text). */
    SourceLocation location();

    /** The instruction as written (continuations joined), e.g. "RUN apk add x"; used in history and cache keys. */
    String original();

    record SourceLocation(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    /** A command in shell form ("RUN echo hi" -> shell=true, args=["echo hi"]) or exec form (JSON array). */
    record Command(boolean shellForm, List<String> args) {}

    /**
     * A heredoc body attached to RUN/COPY/ADD: `<<EOF` (expand=true) or `<<'EOF'` / `<<"EOF"` (expand=false).
     * {@code content} is every line up to the terminator, each ending in "\n"; for `<<-EOF` (stripTabs) the
     * leading tabs are already removed from each line. Heredocs are listed in the order their markers appear.
     */
    record Heredoc(String name, String content, boolean expand, boolean stripTabs) {}

    /** FROM; {@code alias} is lower-cased (stage names are case-insensitive) or null; platform null when absent. */
    record From(SourceLocation location, String original, String image, String alias, String platform) implements Instruction {}
    /**
     * RUN. {@code flags} keys are flag names without "--" ("mount", "network", "security"); a repeated --mount
     * keeps every value, joined with "\n" in order. In shell form with heredocs, {@code command.args()} is the
     * line as written (e.g. "<<EOF" or "cat <<A > /a"); the bodies are in {@code heredocs}.
     */
    record Run(SourceLocation location, String original, Command command, Map<String, String> flags, List<Heredoc> heredocs) implements Instruction {}
    record Cmd(SourceLocation location, String original, Command command) implements Instruction {}
    record Entrypoint(SourceLocation location, String original, Command command) implements Instruction {}
    /** ENV a=b c=d, or the legacy ENV a b c (one pair: a -> "b c"). Keys and values as written, quotes kept. */
    record Env(SourceLocation location, String original, List<KeyValue> pairs) implements Instruction {}
    record Arg(SourceLocation location, String original, List<ArgDecl> args) implements Instruction {}
    record Label(SourceLocation location, String original, List<KeyValue> pairs) implements Instruction {}
    record Expose(SourceLocation location, String original, List<String> ports) implements Instruction {}
    record Workdir(SourceLocation location, String original, String path) implements Instruction {}
    record User(SourceLocation location, String original, String user) implements Instruction {}
    record Volume(SourceLocation location, String original, List<String> paths) implements Instruction {}
    /**
     * COPY and ADD: sources (relative to the context, or to --from's rootfs), destination, flags, heredocs.
     * A source word that is a heredoc marker ("<<EOF", "<<-EOF", "<<'EOF'") names an inline file whose name is
     * the heredoc's name and whose content is the matching entry of {@code heredocs} (same order). ADD never has
     * {@code from} (Docker's ADD has no --from); only ADD has {@code checksum} (BuildKit's {@code --checksum}, the
     * digest an http(s) source must have), null when not given.
     */
    record Copy(SourceLocation location, String original, boolean add, List<String> sources, String destination,
                String from, String chown, String chmod, boolean link, String checksum, List<Heredoc> heredocs)
            implements Instruction {}
    record Shell(SourceLocation location, String original, List<String> shell) implements Instruction {}
    record StopSignal(SourceLocation location, String original, String signal) implements Instruction {}
    /**
     * HEALTHCHECK NONE (test = ["NONE"]) or HEALTHCHECK [--interval ...] CMD ...: test is Docker's image-config
     * form, ["CMD-SHELL", "cmd as written"] for shell form or ["CMD", arg...] for exec form. {@code options} keys
     * are "interval", "timeout", "start-period", "start-interval", "retries"; durations as written (Go syntax,
     * validated), retries a validated non-negative integer.
     */
    record Healthcheck(SourceLocation location, String original, List<String> test, Map<String, String> options) implements Instruction {}
    /**
     * ONBUILD <instruction>: stored as text in the image config; triggers run when a later build uses the image.
     * The trigger is parsed (and rejected if invalid) at parse time, but stored as written.
     */
    record OnBuild(SourceLocation location, String original, String trigger) implements Instruction {}
    record Maintainer(SourceLocation location, String original, String name) implements Instruction {}

    record KeyValue(String key, String value) {}

    /** ARG name or ARG name=default (default as written, quotes kept; null when there is none). */
    record ArgDecl(String name, String defaultValue) {}
}
