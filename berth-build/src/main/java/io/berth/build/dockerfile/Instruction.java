package io.berth.build.dockerfile;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction after parsing (line continuations joined, JSON/shell form decided, heredocs
 * attached). Variable substitution is NOT applied here: the builder substitutes with the stage's ENV/ARG
 * values at the time the instruction runs, because ARG/ENV scoping depends on build order.
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

    /** A heredoc body attached to RUN/COPY: `<<EOF` (expand=true) or `<<'EOF'` / `<<"EOF"` (expand=false). */
    record Heredoc(String name, String content, boolean expand, boolean stripTabs) {}

    record From(SourceLocation location, String original, String image, String alias, String platform) implements Instruction {}
    record Run(SourceLocation location, String original, Command command, Map<String, String> flags, List<Heredoc> heredocs) implements Instruction {}
    record Cmd(SourceLocation location, String original, Command command) implements Instruction {}
    record Entrypoint(SourceLocation location, String original, Command command) implements Instruction {}
    /** ENV a=b c=d, or the legacy ENV a b c (one pair). Values keep their quotes removed, unsubstituted. */
    record Env(SourceLocation location, String original, List<KeyValue> pairs) implements Instruction {}
    record Arg(SourceLocation location, String original, List<ArgDecl> args) implements Instruction {}
    record Label(SourceLocation location, String original, List<KeyValue> pairs) implements Instruction {}
    record Expose(SourceLocation location, String original, List<String> ports) implements Instruction {}
    record Workdir(SourceLocation location, String original, String path) implements Instruction {}
    record User(SourceLocation location, String original, String user) implements Instruction {}
    record Volume(SourceLocation location, String original, List<String> paths) implements Instruction {}
    /** COPY and ADD: sources (relative to the context, or to --from's rootfs), destination, flags, heredocs. */
    record Copy(SourceLocation location, String original, boolean add, List<String> sources, String destination,
                String from, String chown, String chmod, boolean link, List<Heredoc> heredocs) implements Instruction {}
    record Shell(SourceLocation location, String original, List<String> shell) implements Instruction {}
    record StopSignal(SourceLocation location, String original, String signal) implements Instruction {}
    /** HEALTHCHECK NONE (test = ["NONE"]) or HEALTHCHECK [--interval ...] CMD ...; durations as written. */
    record Healthcheck(SourceLocation location, String original, List<String> test, Map<String, String> options) implements Instruction {}
    /** ONBUILD <instruction>: stored as text in the image config; triggers run when a later build uses the image. */
    record OnBuild(SourceLocation location, String original, String trigger) implements Instruction {}
    record Maintainer(SourceLocation location, String original, String name) implements Instruction {}

    record KeyValue(String key, String value) {}

    /** ARG name or ARG name=default. */
    record ArgDecl(String name, String defaultValue) {}
}
