package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.CommandModel;
import io.berth.client.EngineApiException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Commands that act on each named container in turn (stop, kill, rm, pause...): a failure is
 * reported and the rest still run; the exit status is 1 if any failed, as with docker.
 */
abstract class ForEachContainer extends ApiCommand {

    /** The names given on the command line, acted on in turn. */
    List<String> targets;

    /** Applies the action to one container; the return value is printed unless null. */
    abstract String apply(String container);

    /** Ends a command model built in code: --help, then one or more names (LABEL...) into {@link #targets}. */
    CommandSpec withTargets(CommandModel model, String label) {
        model.help();
        model.addPositionalList(PositionalParamSpec.builder().paramLabel(label).arity("1..*").required(true),
                String.class, v -> targets = v, () -> targets);
        spec = model.spec();
        return spec;
    }

    /** Acts on every target: what most of these commands do, and all some do. */
    @Override
    public Integer call() throws java.io.IOException {
        return forEach(targets);
    }

    int forEach(List<String> containers) {
        List<String> errors = new ArrayList<>();
        for (String c : containers) {
            try {
                String line = apply(c);
                if (line != null) {
                    out().println(line);
                }
            } catch (EngineApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            } catch (CliException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }
}
