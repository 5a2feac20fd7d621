package io.berth.build.dockerfile;

import java.util.List;

/**
 * A parsed Dockerfile: the ARGs before the first FROM (global scope), then the stages in order.
 *
 * @param escape the escape character from the `# escape=` parser directive ('\\' or '`')
 */
public record Dockerfile(List<Instruction.Arg> globalArgs, List<Stage> stages, char escape) {

    /** One FROM ... and the instructions up to the next FROM. {@code index} is its position (0-based). */
    public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
        /** The name COPY --from and --target use: the alias, or the index as text. */
        public String name() {
            return from.alias() != null ? from.alias() : Integer.toString(index);
        }
    }
}
