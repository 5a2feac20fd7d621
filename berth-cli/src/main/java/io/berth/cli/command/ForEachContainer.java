package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.client.EngineApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands that act on each named container in turn (stop, kill, rm, pause...): a failure is
 * reported and the rest still run; the exit status is 1 if any failed, as with docker.
 */
abstract class ForEachContainer extends ApiCommand {

    /** Applies the action to one container; the return value is printed unless null. */
    abstract String apply(String container);

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
