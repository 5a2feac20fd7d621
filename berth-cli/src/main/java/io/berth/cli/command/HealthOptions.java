package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.GoDuration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The --health-* flags of run and create, as Docker's CLI turns them into Config.Healthcheck. */
public final class HealthOptions {
    @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health")
    String cmd;

    @Option(names = "--health-interval", paramLabel = "duration", converter = Duration.class,
            description = "Time between running the check (ms|s|m|h) (default 0s)")
    long interval;

    @Option(names = "--health-timeout", paramLabel = "duration", converter = Duration.class,
            description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)")
    long timeout;

    @Option(names = "--health-start-period", paramLabel = "duration", converter = Duration.class,
            description = "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)")
    long startPeriod;

    @Option(names = "--health-start-interval", paramLabel = "duration", converter = Duration.class,
            description = "Time between running the check during the start period (ms|s|m|h) (default 0s)")
    long startInterval;

    @Option(names = "--health-retries", paramLabel = "int", description = "Consecutive failures needed to report unhealthy")
    int retries;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean disabled;

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
