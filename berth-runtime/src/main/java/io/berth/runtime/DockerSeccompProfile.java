package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.linux.LinuxArch;
import io.berth.oci.errors.InvalidArgumentException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seccomp profile in Docker's format, and its translation into the OCI spec's {@code linux.seccomp}.
 *
 * <p>Docker's format is OCI's (defaultAction, defaultErrnoRet, architectures, flags, listener, and syscall
 * rules with names, action, errnoRet, args) plus three things the runtime does not read, which are resolved here
 * for one container on one host:
 * <ul>
 *   <li>{@code archMap}: per native architecture, the architectures to allow; only the host's entry is kept
 *       (a profile gives either this or {@code architectures}, never both);</li>
 *   <li>a rule's {@code includes}: the rule applies only if the host's architecture is among {@code arches}, the
 *       container holds every capability in {@code caps}, and the kernel is at least {@code minKernel};</li>
 *   <li>a rule's {@code excludes}: the rule is dropped if the host's architecture is among {@code arches}, the
 *       container holds any capability in {@code caps}, or the kernel is at least {@code minKernel}.</li>
 * </ul>
 * Architectures in includes/excludes use Go's names ({@code amd64}, {@code arm64}); a singular {@code name} is
 * the same as a one-element {@code names}. A profile with neither a default action nor rules means no filter.
 */
record DockerSeccompProfile(String defaultAction, Long defaultErrnoRet, List<String> architectures,
                            List<ArchEntry> archMap, List<String> flags, String listenerPath, String listenerMetadata,
                            List<Rule> syscalls) {

    record ArchEntry(String architecture, List<String> subArchitectures) {}

    record Rule(List<String> names, String action, Long errnoRet, List<Arg> args, Condition includes, Condition excludes) {}

    record Arg(long index, BigInteger value, BigInteger valueTwo, String op) {}

    /** A kernel version as {@code minKernel} compares it: "5.8" (patch levels and suffixes do not count). */
    record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
        private static final Pattern FORM = Pattern.compile("^(\\d+)\\.(\\d+)");

        static KernelVersion parse(String release) {
            Matcher m = FORM.matcher(release);
            if (!m.find()) throw new IllegalArgumentException("not a kernel version: \"" + release + "\"");
            return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        @Override
        public int compareTo(KernelVersion o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }
    }

    record Condition(List<String> arches, List<String> caps, KernelVersion minKernel) {
        static final Condition NONE = new Condition(List.of(), List.of(), null);
    }

    /** What a profile is resolved against. */
    record Target(LinuxArch arch, List<String> capabilities, KernelVersion kernel) {}

    private static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    private static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final BigInteger U64_LIMIT = BigInteger.ONE.shiftLeft(64);

    /** libseccomp's name of an architecture, as archMap keys it. */
    static String seccompArch(LinuxArch arch) {
        return switch (arch) {
            case X86_64 -> "SCMP_ARCH_X86_64";
            case AARCH64 -> "SCMP_ARCH_AARCH64";
        };
    }

    /** The native architecture and the 32-bit ones its kernel also runs, as Docker's default profile allows them. */
    static List<String> seccompArches(LinuxArch arch) {
        return switch (arch) {
            case X86_64 -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
            case AARCH64 -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        };
    }

    /** Parses and checks a profile; anything malformed is refused, naming the field. */
    static DockerSeccompProfile parse(String json) {
        JsonNode root;
        try {
            root = ContainerStore.JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw invalid("expected a JSON object");
        String defaultAction = action(root, "defaultAction");
        List<String> architectures = strings(root, "architectures");
        List<ArchEntry> archMap = list(root, "archMap", e -> new ArchEntry(requiredText(e, "architecture"),
                strings(e, "subArchitectures")));
        if (!architectures.isEmpty() && !archMap.isEmpty()) {
            throw invalid("'architectures' and 'archMap' were both given; use one of them");
        }
        List<Rule> rules = list(root, "syscalls", DockerSeccompProfile::rule);
        if (defaultAction == null && !rules.isEmpty()) throw invalid("'defaultAction' is required when 'syscalls' are given");
        return new DockerSeccompProfile(defaultAction, errno(root, "defaultErrnoRet"), architectures, archMap,
                strings(root, "flags"), text(root, "listenerPath"), text(root, "listenerMetadata"), rules);
    }

    private static Rule rule(JsonNode r) {
        String name = text(r, "name");
        List<String> listed = strings(r, "names");
        if (name != null && !listed.isEmpty()) throw invalid("a syscall rule gives both 'name' and 'names'; use one of them");
        List<String> names = name != null ? List.of(name) : listed;
        if (names.isEmpty()) throw invalid("a syscall rule names no syscall");
        String action = action(r, "action");
        if (action == null) throw invalid("the rule for " + names + " has no 'action'");
        List<Arg> args = list(r, "args", a -> {
            String op = requiredText(a, "op");
            if (!OPERATORS.contains(op)) throw invalid("unknown operator \"" + op + "\" in the rule for " + names);
            return new Arg(unsigned(a, "index", BigInteger.valueOf(6)).longValue(), unsigned(a, "value", U64_LIMIT),
                    unsigned(a, "valueTwo", U64_LIMIT), op);
        });
        return new Rule(names, action, errno(r, "errnoRet"), args, condition(r, "includes"), condition(r, "excludes"));
    }

    private static Condition condition(JsonNode rule, String field) {
        JsonNode c = rule.get(field);
        if (c == null || c.isNull()) return Condition.NONE;
        if (!c.isObject()) throw invalid("'" + field + "' must be an object");
        String minKernel = text(c, "minKernel");
        KernelVersion min;
        try {
            min = minKernel == null || minKernel.isEmpty() ? null : KernelVersion.parse(minKernel);
        } catch (IllegalArgumentException e) {
            throw invalid("'" + field + ".minKernel': " + e.getMessage());
        }
        return new Condition(strings(c, "arches"), strings(c, "caps"), min);
    }

    /** The OCI {@code linux.seccomp} for {@code target}, or null when the profile asks for no filter. */
    ObjectNode toOci(Target target) {
        if (defaultAction == null && syscalls.isEmpty()) return null;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("defaultAction", defaultAction);
        if (defaultErrnoRet != null) out.put("defaultErrnoRet", defaultErrnoRet);
        ArrayNode arches = out.putArray("architectures");
        architectures.forEach(arches::add);
        String nativeArch = seccompArch(target.arch());
        archMap.stream().filter(e -> e.architecture().equals(nativeArch)).findFirst().ifPresent(e -> {
            arches.add(e.architecture());
            e.subArchitectures().forEach(arches::add);
        });
        if (!flags.isEmpty()) flags.forEach(out.putArray("flags")::add);
        if (listenerPath != null) out.put("listenerPath", listenerPath);
        if (listenerMetadata != null) out.put("listenerMetadata", listenerMetadata);
        ArrayNode calls = out.putArray("syscalls");
        for (Rule r : syscalls) {
            if (!applies(r, target)) continue;
            ObjectNode c = calls.addObject();
            r.names().forEach(c.putArray("names")::add);
            c.put("action", r.action());
            if (r.errnoRet() != null) c.put("errnoRet", r.errnoRet());
            if (!r.args().isEmpty()) {
                ArrayNode args = c.putArray("args");
                for (Arg a : r.args()) {
                    args.addObject().put("index", a.index()).put("value", a.value()).put("valueTwo", a.valueTwo()).put("op", a.op());
                }
            }
        }
        return out;
    }

    static boolean applies(Rule r, Target t) {
        String arch = t.arch().goName();
        Condition ex = r.excludes();
        if (ex.arches().contains(arch)) return false;
        if (ex.caps().stream().anyMatch(t.capabilities()::contains)) return false;
        if (ex.minKernel() != null && t.kernel().compareTo(ex.minKernel()) >= 0) return false;
        Condition in = r.includes();
        if (!in.arches().isEmpty() && !in.arches().contains(arch)) return false;
        if (!t.capabilities().containsAll(in.caps())) return false;
        return in.minKernel() == null || t.kernel().compareTo(in.minKernel()) >= 0;
    }

    private static InvalidArgumentException invalid(String why) {
        return new InvalidArgumentException("invalid seccomp profile: " + why);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid("'" + field + "' must be a string");
        return v.asText();
    }

    private static String requiredText(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null || v.isEmpty()) throw invalid("'" + field + "' is required");
        return v;
    }

    private static String action(JsonNode node, String field) {
        String a = text(node, field);
        if (a == null || a.isEmpty()) return null;
        if (!ACTIONS.contains(a)) throw invalid("unknown action \"" + a + "\" in '" + field + "'");
        return a;
    }

    private static Long errno(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        return unsigned(node, field, BigInteger.ONE.shiftLeft(32)).longValue();
    }

    /** A whole number in [0, limit): Go decodes these fields into unsigned integers. */
    private static BigInteger unsigned(JsonNode node, String field, BigInteger limit) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return BigInteger.ZERO;
        if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().compareTo(limit) >= 0) {
            throw invalid("'" + field + "' must be a whole number from 0 to " + limit.subtract(BigInteger.ONE) + ", not " + v);
        }
        return v.bigIntegerValue();
    }

    private static List<String> strings(JsonNode node, String field) {
        return list(node, field, v -> {
            if (!v.isTextual()) throw invalid("'" + field + "' must hold strings only");
            return v.asText();
        });
    }

    private static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> each) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw invalid("'" + field + "' must be a list");
        List<T> out = new ArrayList<>();
        v.forEach(e -> out.add(each.apply(e)));
        return List.copyOf(out);
    }
}
