package io.berth.registry;

import io.berth.oci.errors.BerthException;
import io.berth.registry.server.GarbageCollector;
import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berth registry}: runs the OCI distribution server or collects its garbage.
 * <pre>
 * serve --root DIR [--addr HOST:PORT] [--htpasswd FILE [--access FILE]]
 *       [--token-auth --token-issuer NAME [--token-key RSA-PKCS8.pem]] [--tls-cert PEM --tls-key PEM] [--quiet]
 * gc    --root DIR [--dry-run] [--min-age SECONDS]
 * </pre>
 */
public final class RegistryMain {
    private static final Set<String> FLAGS = Set.of("--token-auth", "--dry-run", "--quiet", "--help");

    private RegistryMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (BerthException | IllegalArgumentException e) {
            System.err.println("berth registry: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws IllegalArgumentException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options = parse(args);
        return switch (args[0]) {
            case "serve" -> serve(options);
            case "gc" -> gc(options);
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + usage());
        };
    }

    private static int serve(Map<String, String> options) {
        Path root = Path.of(required(options, "--root"));
        InetSocketAddress address = address(options.getOrDefault("--addr", "127.0.0.1:5000"));
        RegistryConfig.Auth auth = new RegistryConfig.Auth.None();
        Path access = options.containsKey("--access") ? Path.of(options.get("--access")) : null;
        if (options.containsKey("--token-auth")) {
            auth = new RegistryConfig.Auth.Token(Path.of(required(options, "--htpasswd")), access,
                    options.getOrDefault("--token-issuer", "berth-registry"),
                    options.containsKey("--token-key") ? Path.of(options.get("--token-key")) : null);
        } else if (options.containsKey("--htpasswd")) {
            auth = new RegistryConfig.Auth.Basic(Path.of(options.get("--htpasswd")), access);
        }
        RegistryConfig.Tls tls = null;
        if (options.containsKey("--tls-cert") || options.containsKey("--tls-key")) {
            tls = new RegistryConfig.Tls(Path.of(required(options, "--tls-cert")), Path.of(required(options, "--tls-key")));
        }
        boolean quiet = options.containsKey("--quiet");
        RegistryConfig config = new RegistryConfig(root, address, auth, tls, quiet ? null
                : entry -> System.out.println(entry.method() + " " + entry.path() + " " + entry.status()
                        + " " + entry.millis() + "ms"));
        if (tls == null && !address.getAddress().isLoopbackAddress()) {
            System.err.println("berth registry: warning: plain HTTP on " + address + " (not loopback); use --tls-cert");
        }
        RegistryServer server = RegistryServer.start(config);
        System.out.println("berth registry serving " + server.baseUri() + " from " + root.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int gc(Map<String, String> options) {
        Path root = Path.of(required(options, "--root"));
        boolean dryRun = options.containsKey("--dry-run");
        Duration minAge = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--min-age", "0")));
        GarbageCollector.Result result = new GarbageCollector(root).run(dryRun, minAge);
        for (var digest : result.deleted()) {
            System.out.println((dryRun ? "would delete " : "deleted ") + digest);
        }
        System.out.printf("%d blobs referenced, %d %s (%d bytes), %d abandoned uploads removed%n",
                result.marked(), result.deleted().size(), dryRun ? "unreferenced" : "deleted", result.bytesFreed(),
                result.abandonedUploads());
        return 0;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "\n" + usage());
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else if (FLAGS.contains(arg)) {
                options.put(arg, "true");
            } else if (i + 1 < rest.size()) {
                options.put(arg, rest.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required\n" + usage());
        }
        return value;
    }

    private static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--addr must be HOST:PORT, not " + text);
        }
        String host = text.substring(0, colon);
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host.replaceAll("^\\[|]$", ""),
                Integer.parseInt(text.substring(colon + 1)));
    }

    private static String usage() {
        return """
                usage: berth registry serve --root DIR [--addr HOST:PORT] [--htpasswd FILE [--access FILE]]
                                            [--token-auth --token-issuer NAME [--token-key RSA-PKCS8.pem]]
                                            [--tls-cert PEM --tls-key PEM] [--quiet]
                       berth registry gc --root DIR [--dry-run] [--min-age SECONDS]""";
    }
}
