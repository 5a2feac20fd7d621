package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.GoDuration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.OptionSpec;

/** The --health-* flags of run and create, as Docker's CLI turns them into Config.Healthcheck. */
public final class HealthOptions {
    String cmd;

    long interval;

    long timeout;

    long startPeriod;

    long startInterval;

    int retries;

    boolean disabled;

    /** Adds the --health-* flags to the model of run or create (a mixin, in code: see {@link CommandModel}). */
    void addTo(CommandModel model) {
        model.add(OptionSpec.builder("--health-cmd").paramLabel("string")
                .description("Command to run to check health"),
                String.class, v -> cmd = v, () -> cmd);
        model.add(OptionSpec.builder("--health-interval").paramLabel("duration")
                .description("Time between running the check (ms|s|m|h) (default 0s)").converters(new Duration()),
                long.class, v -> interval = v, () -> interval);
        model.add(OptionSpec.builder("--health-timeout").paramLabel("duration")
                .description("Maximum time to allow one check to run (ms|s|m|h) (default 0s)").converters(new Duration()),
                long.class, v -> timeout = v, () -> timeout);
        model.add(OptionSpec.builder("--health-start-period").paramLabel("duration")
                .description("Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)").converters(new Duration()),
                long.class, v -> startPeriod = v, () -> startPeriod);
        model.add(OptionSpec.builder("--health-start-interval").paramLabel("duration")
                .description("Time between running the check during the start period (ms|s|m|h) (default 0s)").converters(new Duration()),
                long.class, v -> startInterval = v, () -> startInterval);
        model.add(OptionSpec.builder("--health-retries").paramLabel("int")
                .description("Consecutive failures needed to report unhealthy"),
                int.class, v -> retries = v, () -> retries);
        model.add(OptionSpec.builder("--no-healthcheck")
                .description("Disable any container-specified HEALTHCHECK"),
                boolean.class, v -> disabled = v, () -> disabled);

    }

    /** Go duration text, e.g. "30s", "1m30s", "500ms". */
    static final class Duration implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return GoDuration.nanos(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("time: invalid duration \"" + value + "\"");
            }
        }
    }

    /** Sets Config.Healthcheck when a flag asks for it; refuses what Docker's CLI refuses, in its words. */
    void addTo(ObjectNode body) {
        boolean any = cmd != null && !cmd.isEmpty() || interval != 0 || timeout != 0 || startPeriod != 0 || retries != 0
                || startInterval != 0;
        if (disabled) {
            if (any) throw new IllegalArgumentException("--no-healthcheck conflicts with --health-* options");
            body.putObject("Healthcheck").putArray("Test").add("NONE");
            return;
        }
        if (!any) return;
        if (interval < 0) throw new IllegalArgumentException("--health-interval cannot be negative");
        if (timeout < 0) throw new IllegalArgumentException("--health-timeout cannot be negative");
        if (retries < 0) throw new IllegalArgumentException("--health-retries cannot be negative");
        if (startPeriod < 0) throw new IllegalArgumentException("--health-start-period cannot be negative");
        if (startInterval < 0) throw new IllegalArgumentException("--health-start-interval cannot be negative");
        ObjectNode h = body.putObject("Healthcheck");
        ArrayNode test = h.putArray("Test");
        if (cmd != null && !cmd.isEmpty()) test.add("CMD-SHELL").add(cmd);
        h.put("Interval", interval);
        h.put("Timeout", timeout);
        h.put("StartPeriod", startPeriod);
        h.put("StartInterval", startInterval);
        h.put("Retries", retries);
    }
}
