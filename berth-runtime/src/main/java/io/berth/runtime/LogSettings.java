package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's logging driver and its options, as inspect shows them ({@code HostConfig.LogConfig}). json-file
 * writes Docker's own file ({@code <id>-json.log}, JSON lines, copied by berthd from conmon's spool:
 * {@link JsonLogCopier}); local and k8s-file keep conmon's k8s-file records ({@code ctr.log}, {@link LogFormat}).
 * The Docker users' view (what {@code docker logs} prints, which options exist and what they mean) is Docker's:
 * <pre>
 * json-file  Docker's default: no rotation unless max-size; max-file (1), compress (false)
 * local      rotation by default: max-size 20 MB, max-file 5, compress true
 * k8s-file   Podman's: max-size only (the log starts over when it is reached)
 * none       nothing is kept; docker logs answers "configured logging driver does not support reading"
 * </pre>
 * Any other driver or option is refused with a 400 naming it: an option berth cannot apply is never accepted.
 *
 * @param driver "json-file", "local", "k8s-file" or "none"
 * @param config the options as given (and the daemon's default options for its default driver), for inspect
 */
public record LogSettings(String driver, Map<String, String> config) {
    /** What containers created before berth had drivers used: conmon's k8s-file, no rotation. */
    public static final LogSettings K8S_FILE = new LogSettings("k8s-file", Map.of());
    public static final LogSettings JSON_FILE = new LogSettings("json-file", Map.of());

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "json-file", Set.of("max-size", "max-file", "compress"),
            "local", Set.of("max-size", "max-file", "compress"),
            "k8s-file", Set.of("max-size"),
            "none", Set.of());
    private static final long LOCAL_MAX_SIZE = 20L * 1024 * 1024;
    private static final int LOCAL_MAX_FILE = 5;
    private static final Pattern HUMAN_SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    /** The drivers berth has, sorted (what /info lists under Plugins.Log). */
    public static List<String> drivers() {
        return OPTIONS.keySet().stream().sorted().toList();
    }

    public LogSettings {
        driver = driver == null || driver.isEmpty() ? "k8s-file" : driver;
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /**
     * The settings of a create request: its driver and options, or the daemon's default driver with the
     * daemon's default options under the request's (as Docker merges them); checked as Docker checks them.
     */
    public static LogSettings resolve(String requestedDriver, Map<String, String> requestedOptions, LogSettings daemonDefault) {
        String driver = requestedDriver == null || requestedDriver.isEmpty() ? daemonDefault.driver() : requestedDriver;
        Map<String, String> options = new TreeMap<>();
        if (driver.equals(daemonDefault.driver())) options.putAll(daemonDefault.config());
        if (requestedOptions != null) options.putAll(requestedOptions);
        return of(driver, options);
    }

    /** Checks a driver and its options; the messages are Docker's where Docker has one. */
    public static LogSettings of(String driver, Map<String, String> options) {
        Set<String> known = OPTIONS.get(driver);
        if (known == null) throw new InvalidArgumentException("logger: no log driver named '" + driver + "' is registered");
        for (String key : options.keySet()) {
            if (!known.contains(key)) throw new InvalidArgumentException("unknown log opt '" + key + "' for " + driver + " log driver");
        }
        LogSettings s = new LogSettings(driver, new LinkedHashMap<>(options));
        long maxSize = s.maxSize();
        int maxFile = s.maxFile();
        if (s.compress() && (maxFile < 2 || maxSize <= 0)) {
            throw new InvalidArgumentException("compress cannot be true when max-file is less than 2 or max-size is not set");
        }
        return s;
    }

    /** Whether docker logs can read this container's output. */
    public boolean readable() {
        return !driver.equals("none");
    }

    /** Bytes at which the log is rotated; 0 for never. */
    public long maxSize() {
        String v = config.get("max-size");
        if (v == null) return driver.equals("local") ? LOCAL_MAX_SIZE : 0;
        if (v.equals("-1")) return 0;
        long size = humanSize(v);
        if (size <= 0) throw new InvalidArgumentException("max-size must be a positive number");
        return size;
    }

    /** How many files the log keeps, the current one included. */
    public int maxFile() {
        String v = config.get("max-file");
        if (v == null) return driver.equals("local") ? LOCAL_MAX_FILE : 1;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid value for max-file: " + v);
        }
        if (n < 1) throw new InvalidArgumentException("max-file cannot be less than 1");
        return n;
    }

    /** Whether rotated files are gzip-compressed. */
    public boolean compress() {
        String v = config.get("compress");
        if (v == null) return driver.equals("local") && maxFile() > 1 && maxSize() > 0;
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new InvalidArgumentException("invalid value for compress: " + v);
        };
    }

    /** Docker's human sizes ("10m", "1.5g", "512k", "100"): decimal multiples, as its json-file reads them. */
    static long humanSize(String v) {
        Matcher m = HUMAN_SIZE.matcher(v);
        if (!m.matches()) throw new InvalidArgumentException("invalid size: '" + v + "'");
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase();
        int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
        try {
            return n.multiply(BigDecimal.valueOf(1000).pow(power)).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("invalid size: '" + v + "'");
        }
    }
}
