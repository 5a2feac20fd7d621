package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.EngineApiException;
import io.berth.client.EngineConnectionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth compose ...} (and {@code docker compose} through the plugin): the commands over {@link Compose}. */
@Command(name = "compose", description = "Define and run multi-container applications", synopsisSubcommandLabel = "COMMAND")
public final class ComposeCli implements Runnable {
    /**
     * Every subcommand. Picocli builds a command's model by reflection (~40 ms for all of them at a cold
     * start), so {@link #run} registers only the one the arguments name, and all of them when none matches
     * (for the usage text or picocli's error).
     */
    static final List<Class<? extends Sub>> COMMANDS = List.of(Up.class, Down.class, Ps.class, Logs.class, Start.class,
            Stop.class, Restart.class, Rm.class, Pull.class, Build.class, Config.class, Exec.class, Run.class, Images.class,
            Top.class, Port.class, Kill.class, Pause.class, Unpause.class, Events.class, Version.class, Ls.class,
            Create.class, Push.class, Attach.class, Cp.class, Stats.class, Wait.class, Scale.class, Watch.class);

    /** compose's global options that take a value (the next word unless written {@code --opt=value}). */
    private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("-f", "--file", "-p", "--project-name",
            "--project-directory", "--env-file", "--profile", "--progress", "--ansi");

    @Option(names = {"-f", "--file"}, description = "Compose configuration files") List<String> files = new ArrayList<>();
    @Option(names = {"-p", "--project-name"}, description = "Project name") String projectName;
    @Option(names = "--project-directory", description = "Alternate working directory") String projectDirectory;
    @Option(names = "--env-file", description = "Alternate environment files") List<String> envFiles = new ArrayList<>();
    @Option(names = "--profile", description = "Profiles to enable") List<String> profiles = new ArrayList<>();
    @Option(names = "--progress", description = "auto, tty, plain or quiet") String progress = "auto";
    @Option(names = "--ansi", description = "never, always or auto") String ansi = "auto";
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage") boolean help;

    final ComposeRuntime rt;
    final Map<String, String> env;
    final Path cwd;

    ComposeCli(ComposeRuntime rt, Map<String, String> env, Path cwd) {
        this.rt = rt;
        this.env = env;
        this.cwd = cwd;
    }

    /** Runs {@code args} (the words after "compose"); returns the exit status. */
    public static int run(String[] args, ComposeRuntime rt, Map<String, String> env, Path cwd) {
        ComposeCli root = new ComposeCli(rt, env, cwd);
        CommandLine cl = new CommandLine(root);
        String word = commandWord(args);
        List<Class<? extends Sub>> named = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(word)).toList();
        for (Class<? extends Sub> c : named.isEmpty() ? COMMANDS : named) cl.addSubcommand(c);
        // the container's command keeps its own flags: `run web sh -c ...`, `exec web ls -l`
        for (String positional : List.of("run", "exec")) {
            if (cl.getSubcommands().containsKey(positional)) cl.getSubcommands().get(positional).setStopAtPositional(true);
        }
        cl.setOut(new PrintWriter(rt.out(), true));
        cl.setErr(new PrintWriter(rt.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            rt.err().println(ex.getMessage());
            return 1;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            switch (ex) {
                case ComposeException e -> { rt.err().println(e.getMessage()); return e.status(); }
                case EngineApiException e -> { rt.err().println("Error response from daemon: " + e.getMessage()); return 1; }
                case EngineConnectionException e -> { rt.err().println(e.getMessage()); return 1; }
                case UncheckedIOException e -> { rt.err().println(e.getCause().getMessage()); return 1; }
                default -> throw ex;
            }
        });
        return cl.execute(args);
    }

    /** The subcommand's name: the first word after compose's global options (null when there is none). */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) return a;
            if (VALUE_OPTIONS.contains(a)) i++;
        }
        return null;
    }

    @Override
    public void run() {
        CommandLine cl = new CommandLine(this);
        COMMANDS.forEach(cl::addSubcommand);
        cl.usage(rt.out());
    }

    ComposeRuntime runtime() {
        boolean tty = switch (progress) {
            case "tty" -> true;
            case "plain", "quiet" -> false;
            default -> rt.stderrTty();
        };
        java.io.PrintStream err = progress.equals("quiet") ? new java.io.PrintStream(OutputStream.nullOutputStream()) : rt.err();
        return new ComposeRuntime(rt.client(), rt.in(), rt.out(), err, rt.stdinTty(), rt.stdoutTty(), tty, rt.contexts(), rt.auth(), rt.cli());
    }

    boolean color(boolean noColor) {
        return !noColor && (ansi.equals("always") || (ansi.equals("auto") && rt.stdoutTty()));
    }

    Project project(List<String> selected) {
        LoadOptions o = new LoadOptions(cwd, files, projectName, projectDirectory, envFiles, profiles, selected, env);
        Project p = ProjectLoader.load(o);
        p.warnings().forEach(w -> rt.err().println("WARN[0000] " + w));
        return p;
    }

    /** For commands that work on a project by name only (down -p x with no file): a model with no services. */
    Project projectOrName(List<String> selected) {
        try {
            return project(selected);
        } catch (ComposeException e) {
            if (projectName == null || !e.getMessage().startsWith("no configuration file provided")) throw e;
            ObjectNode model = JsonNodeFactory.instance.objectNode();
            model.put("name", projectName);
            model.putObject("services");
            return new Project(projectName, cwd, List.of(), model, List.of());
        }
    }

    Compose compose(List<String> selected) {
        return new Compose(project(selected), runtime());
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand ComposeCli root;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage") boolean help;
    }

    // ---- up / down / create ---------------------------------------------------------------------

    @Command(name = "up", description = "Create and start containers")
    static final class Up extends Sub {
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = "--build") boolean build;
        @Option(names = "--no-build") boolean noBuild;
        @Option(names = "--force-recreate") boolean forceRecreate;
        @Option(names = "--no-recreate") boolean noRecreate;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = "--no-start") boolean noStart;
        @Option(names = "--no-deps") boolean noDeps;
        @Option(names = "--scale", description = "SERVICE=NUM") List<String> scale = new ArrayList<>();
        @Option(names = "--wait") boolean await;
        @Option(names = {"-t", "--timeout"}) Integer timeout;
        @Option(names = "--no-color") boolean noColor;
        @Option(names = "--abort-on-container-exit") boolean abortOnExit;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            if (build && noBuild) throw new ComposeException("--build and --no-build are incompatible");
            if (forceRecreate && noRecreate) throw new ComposeException("--force-recreate and --no-recreate are incompatible");
            if (abortOnExit && detach) throw new ComposeException("--abort-on-container-exit and --detach are incompatible");
            Compose c = root.compose(services);
            Map<String, Integer> scales = new LinkedHashMap<>();
            for (String s : scale) {
                int eq = s.indexOf('=');
                if (eq < 0) throw new ComposeException("invalid --scale " + s + ": expected SERVICE=NUM");
                scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            }
            c.up(new Compose.UpOptions(services, build, noBuild, forceRecreate, noRecreate, removeOrphans, scales, noStart, noDeps));
            if (await) c.awaitRunning(services);
            if (detach || noStart || await) return 0;
            return attached(c);
        }

        /**
         * {@code --abort-on-container-exit}: follows the logs until the first container exits, then stops the
         * others; the exit status is that container's, as in Compose.
         */
        private int abortOnFirstExit(Compose c, List<JsonNode> containers, LogPrinter printer, Thread stopper) {
            Thread logs = Thread.ofVirtual().start(() -> printer.print(containers, true, "all", false, false));
            var client = root.rt.client();
            List<java.util.concurrent.CompletableFuture<JsonNode>> exits = containers.stream()
                    .map(ct -> client.waitContainerAsync(ct.path("Id").asText(), "not-running")).toList();
            java.util.concurrent.CompletableFuture.anyOf(exits.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
            JsonNode first = null;
            int code = 0;
            for (int i = 0; i < containers.size(); i++) {
                if (exits.get(i).isDone()) {
                    first = containers.get(i);
                    code = exits.get(i).join().path("StatusCode").asInt();
                    break;
                }
            }
            root.rt.out().println(printer.prefixName(first) + " exited with code " + code);
            root.rt.out().println("Aborting on container exit...");
            c.stop(services, timeout);
            try {
                logs.join(java.time.Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().removeShutdownHook(stopper);
            return code;
        }

        private int attached(Compose c) {
            List<JsonNode> containers = c.containers(true, false, services);
            List<String> names = containers.stream().map(Compose::name).toList();
            root.rt.out().println("Attaching to " + String.join(", ", names));
            Thread stopper = new Thread(() -> {
                root.rt.err().println("Gracefully stopping... (press Ctrl+C again to force)");
                c.stop(services, timeout);
            });
            Runtime.getRuntime().addShutdownHook(stopper);
            LogPrinter printer = new LogPrinter(root.rt.client(), root.rt.out(), root.color(noColor), c.project().name());
            if (abortOnExit) {
                return abortOnFirstExit(c, containers, printer, stopper);
            }
            printer.print(containers, true, "all", false, false);
            for (JsonNode ct : containers) {
                JsonNode state = root.rt.client().inspectContainer(ct.path("Id").asText(), false).path("State");
                root.rt.out().println(printer.prefixName(ct) + " exited with code " + state.path("ExitCode").asInt());
            }
            Runtime.getRuntime().removeShutdownHook(stopper);
            return 0; // as Compose without --exit-code-from: the containers' codes are reported, not returned
        }
    }

    @Command(name = "create", description = "Creates containers for a service")
    static final class Create extends Sub {
        @Option(names = "--build") boolean build;
        @Option(names = "--no-build") boolean noBuild;
        @Option(names = "--force-recreate") boolean forceRecreate;
        @Option(names = "--no-recreate") boolean noRecreate;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = "--scale") List<String> scale = new ArrayList<>();
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Map<String, Integer> scales = new LinkedHashMap<>();
            for (String s : scale) scales.put(s.substring(0, s.indexOf('=')), Integer.parseInt(s.substring(s.indexOf('=') + 1)));
            root.compose(services).up(new Compose.UpOptions(services, build, noBuild, forceRecreate, noRecreate, removeOrphans, scales, true, false));
            return 0;
        }
    }

    @Command(name = "down", description = "Stop and remove containers, networks")
    static final class Down extends Sub {
        @Option(names = {"-v", "--volumes"}) boolean volumes;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = "--rmi", description = "local or all") String rmi;
        @Option(names = {"-t", "--timeout"}) Integer timeout;

        @Override
        public Integer call() {
            if (rmi != null && !rmi.equals("local") && !rmi.equals("all")) throw new ComposeException("invalid --rmi option \"" + rmi + "\": local or all");
            new Compose(root.projectOrName(List.of()), root.runtime()).down(new Compose.DownOptions(removeOrphans, volumes, rmi, timeout));
            return 0;
        }
    }

    // ---- start / stop / restart / rm / kill / pause -----------------------------------------------

    @Command(name = "start", description = "Start services")
    static final class Start extends Sub {
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            root.compose(services).start(services);
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop services")
    static final class Stop extends Sub {
        @Option(names = {"-t", "--timeout"}) Integer timeout;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            root.compose(services).stop(services, timeout);
            return 0;
        }
    }

    @Command(name = "restart", description = "Restart service containers")
    static final class Restart extends Sub {
        @Option(names = {"-t", "--timeout"}) Integer timeout;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            root.compose(services).restart(services, timeout);
            return 0;
        }
    }

    @Command(name = "rm", description = "Removes stopped service containers")
    static final class Rm extends Sub {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-s", "--stop"}) boolean stop;
        @Option(names = {"-v", "--volumes"}) boolean volumes;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            List<JsonNode> targets = c.containers(true, false, services).stream()
                    .filter(x -> stop || !x.path("State").asText().equals("running")).toList();
            if (targets.isEmpty()) {
                root.rt.err().println("No stopped containers");
                return 0;
            }
            if (!force) {
                root.rt.out().println("Going to remove " + String.join(", ", targets.stream().map(Compose::name).toList()));
                root.rt.out().print("? Are you sure you want to remove the containers? (y/N) ");
                root.rt.out().flush();
                String answer;
                try {
                    answer = new java.io.BufferedReader(new java.io.InputStreamReader(root.rt.in())).readLine();
                } catch (IOException e) {
                    answer = null;
                }
                if (answer == null || !answer.strip().toLowerCase().startsWith("y")) return 0;
            }
            c.remove(services, stop, volumes);
            return 0;
        }
    }

    @Command(name = "kill", description = "Force stop service containers")
    static final class Kill extends Sub {
        @Option(names = {"-s", "--signal"}) String signal = "SIGKILL";
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            c.each(services, "Killing", "Killed", id -> root.rt.client().killContainer(id, signal), true);
            if (removeOrphans) c.removeOrphans();
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause services")
    static final class Pause extends Sub {
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            root.compose(services).each(services, "Pausing", "Paused", id -> root.rt.client().pauseContainer(id), true);
            return 0;
        }
    }

    @Command(name = "unpause", description = "Unpause services")
    static final class Unpause extends Sub {
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            root.compose(services).each(services, "Unpausing", "Unpaused", id -> root.rt.client().unpauseContainer(id), true);
            return 0;
        }
    }

    // ---- images: pull / build / images ----------------------------------------------------------

    @Command(name = "pull", description = "Pull service images")
    static final class Pull extends Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--ignore-buildable") boolean ignoreBuildable;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            for (String s : services.isEmpty() ? c.project().serviceNames() : services) {
                if (ignoreBuildable && c.project().service(s).has("build")) continue;
                c.pull(s);
            }
            return 0;
        }
    }

    @Command(name = "push", description = "Push service images")
    static final class Push extends Sub {
        @Option(names = "--ignore-push-failures") boolean ignoreFailures;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            for (String s : services.isEmpty() ? c.project().serviceNames() : services) {
                try {
                    c.push(s);
                } catch (ComposeException | EngineApiException e) {
                    if (!ignoreFailures) throw e;
                    root.rt.err().println(e.getMessage());
                }
            }
            return 0;
        }
    }

    @Command(name = "build", description = "Build or rebuild services")
    static final class Build extends Sub {
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            for (String s : services.isEmpty() ? c.project().serviceNames() : services) c.build(s);
            return 0;
        }
    }

    @Command(name = "images", description = "List images used by the created containers")
    static final class Images extends Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format = "table";
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            checkFormat(format, "table", "json");
            Compose c = root.compose(services);
            List<String[]> rows = new ArrayList<>();
            ArrayNode json = JsonNodeFactory.instance.arrayNode();
            for (JsonNode ct : c.containers(true, false, services)) {
                JsonNode img = root.rt.client().inspectImage(ct.path("ImageID").asText());
                String image = ct.path("Image").asText();
                int colon = image.lastIndexOf(':');
                String repo = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
                String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
                String id = img.path("Id").asText().replace("sha256:", "");
                if (quiet) {
                    root.rt.out().println(id);
                    continue;
                }
                rows.add(new String[] {Compose.name(ct), repo, tag, id.substring(0, Math.min(12, id.length())), Views.size(img.path("Size").asLong())});
                json.addObject().put("ContainerName", Compose.name(ct)).put("Repository", repo).put("Tag", tag).put("ID", id).put("Size", img.path("Size").asLong());
            }
            if (quiet) return 0;
            if (format.equals("json")) {
                root.rt.out().println(json);
            } else {
                Views.table(root.rt.out(), new String[] {"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"}, rows);
            }
            return 0;
        }
    }

    // ---- views: ps / ls / config / top / port / events / version / logs --------------------------

    @Command(name = "ps", description = "List containers")
    static final class Ps extends Sub {
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--services") boolean servicesOnly;
        @Option(names = "--format") String format = "table";
        @Option(names = "--status") List<String> status = new ArrayList<>();
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = new Compose(root.projectOrName(services), root.runtime());
            List<JsonNode> list = c.containers(all || !status.isEmpty(), false, services).stream()
                    .filter(x -> status.isEmpty() || status.contains(x.path("State").asText())).toList();
            if (quiet) {
                list.forEach(x -> root.rt.out().println(x.path("Id").asText()));
            } else if (servicesOnly) {
                list.stream().map(x -> x.path("Labels").path(Labels.SERVICE).asText()).distinct().forEach(root.rt.out()::println);
            } else if (format.equals("json")) {
                for (JsonNode x : list) root.rt.out().println(Views.psJson(x));
            } else if (format.equals("table")) {
                List<String[]> rows = new ArrayList<>();
                for (JsonNode x : list) {
                    rows.add(new String[] {Compose.name(x), x.path("Image").asText(), Views.command(x.path("Command").asText()),
                            x.path("Labels").path(Labels.SERVICE).asText(), Views.ago(x.path("Created").asLong()),
                            x.path("Status").asText(), Views.ports(x.path("Ports"))});
                }
                Views.table(root.rt.out(), new String[] {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"}, rows);
            } else {
                throw new ComposeException("--format " + format + " is not supported by berth compose (table or json)");
            }
            return 0;
        }
    }

    @Command(name = "ls", description = "List running compose projects")
    static final class Ls extends Sub {
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format = "table";

        @Override
        public Integer call() {
            checkFormat(format, "table", "json");
            JsonNode list = root.rt.client().listContainers(true, 0, false, Map.of("label", List.of(Labels.PROJECT)));
            Map<String, Map<String, Integer>> states = new TreeMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            for (JsonNode c : list) {
                String p = c.path("Labels").path(Labels.PROJECT).asText();
                states.computeIfAbsent(p, k -> new TreeMap<>()).merge(c.path("State").asText(), 1, Integer::sum);
                files.putIfAbsent(p, c.path("Labels").path(Labels.CONFIG_FILES).asText());
            }
            List<String[]> rows = new ArrayList<>();
            ArrayNode json = JsonNodeFactory.instance.arrayNode();
            states.forEach((p, st) -> {
                if (!all && !st.containsKey("running")) return;
                List<String> parts = new ArrayList<>();
                st.forEach((s, n) -> parts.add(s + "(" + n + ")"));
                rows.add(new String[] {p, String.join(", ", parts), files.get(p)});
                json.addObject().put("Name", p).put("Status", String.join(", ", parts)).put("ConfigFiles", files.get(p));
            });
            if (quiet) rows.forEach(r -> root.rt.out().println(r[0]));
            else if (format.equals("json")) root.rt.out().println(json);
            else Views.table(root.rt.out(), new String[] {"NAME", "STATUS", "CONFIG FILES"}, rows);
            return 0;
        }
    }

    @Command(name = "config", description = "Parse, resolve and render compose file in canonical format")
    static final class Config extends Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--services") boolean services;
        @Option(names = "--volumes") boolean volumes;
        @Option(names = "--networks") boolean networks;
        @Option(names = "--hash") String hash;
        @Option(names = "--format") String format = "yaml";
        @Option(names = {"-o", "--output"}) String output;

        @Override
        public Integer call() throws IOException {
            Project p = root.project(List.of());
            if (quiet) return 0;
            if (services) { p.serviceNames().forEach(root.rt.out()::println); return 0; }
            if (volumes) { p.section("volumes").fieldNames().forEachRemaining(root.rt.out()::println); return 0; }
            if (networks) { p.section("networks").fieldNames().forEachRemaining(root.rt.out()::println); return 0; }
            if (hash != null) {
                for (String s : hash.equals("*") ? p.serviceNames() : List.of(hash.split(","))) {
                    root.rt.out().println(s + " " + ConfigHash.of(p.service(s)));
                }
                return 0;
            }
            if (!format.equals("json") && !format.equals("yaml")) {
                throw new ComposeException("--format " + format + " is not supported by berth compose (yaml or json)");
            }
            JsonNode printed = ConfigYaml.escapeDollars(p.model());
            String text = format.equals("json") ? new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(printed) + "\n"
                    : ConfigYaml.write(printed);
            if (output != null) {
                java.nio.file.Files.writeString(root.cwd.resolve(output), text);
            } else {
                root.rt.out().print(text);
            }
            return 0;
        }
    }

    @Command(name = "logs", description = "View output from containers")
    static final class Logs extends Sub {
        @Option(names = {"-f", "--follow"}) boolean follow;
        @Option(names = {"-n", "--tail"}) String tail = "all";
        @Option(names = {"-t", "--timestamps"}) boolean timestamps;
        @Option(names = "--no-color") boolean noColor;
        @Option(names = "--no-log-prefix") boolean noPrefix;
        @Option(names = "--index") Integer index;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            List<JsonNode> list = c.containers(true, false, services).stream()
                    .filter(x -> index == null || Compose.number(x) == index).toList();
            new LogPrinter(root.rt.client(), root.rt.out(), root.color(noColor), c.project().name()).print(list, follow, tail, timestamps, noPrefix);
            return 0;
        }
    }

    @Command(name = "top", description = "Display the running processes")
    static final class Top extends Sub {
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            for (JsonNode ct : c.containers(false, false, services)) {
                JsonNode top = root.rt.client().top(ct.path("Id").asText(), null);
                root.rt.out().println(Compose.name(ct));
                List<String> titles = new ArrayList<>();
                top.path("Titles").forEach(t -> titles.add(t.asText()));
                List<String[]> rows = new ArrayList<>();
                top.path("Processes").forEach(pr -> {
                    List<String> r = new ArrayList<>();
                    pr.forEach(x -> r.add(x.asText()));
                    rows.add(r.toArray(String[]::new));
                });
                Views.table(root.rt.out(), titles.toArray(String[]::new), rows);
                root.rt.out().println();
            }
            return 0;
        }
    }

    @Command(name = "port", description = "Print the public port for a port binding")
    static final class Port extends Sub {
        @Option(names = "--protocol") String protocol = "tcp";
        @Option(names = "--index") int index = 1;
        @Parameters(index = "0") String service;
        @Parameters(index = "1") String privatePort;

        @Override
        public Integer call() {
            Compose c = root.compose(List.of(service));
            JsonNode ct = c.containers(true, false, List.of(service)).stream().filter(x -> Compose.number(x) == index).findFirst()
                    .orElseThrow(() -> new ComposeException("service \"" + service + "\" is not running container #" + index));
            for (JsonNode p : ct.path("Ports")) {
                if (p.path("PrivatePort").asText().equals(privatePort) && p.path("Type").asText().equals(protocol) && p.has("PublicPort")) {
                    root.rt.out().println(p.path("IP").asText("0.0.0.0") + ":" + p.path("PublicPort").asText());
                    return 0;
                }
            }
            throw new ComposeException("no port " + privatePort + "/" + protocol + " for container " + Compose.name(ct));
        }
    }

    @Command(name = "events", description = "Receive real time events from containers")
    static final class Events extends Sub {
        @Option(names = "--json") boolean json;
        @Option(names = "--since") String since;
        @Option(names = "--until") String until;
        @Parameters List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Project p = root.project(services);
            root.rt.client().events(since, until, Map.of("label", List.of(Labels.PROJECT + "=" + p.name())), e -> {
                JsonNode attrs = e.path("Actor").path("Attributes");
                String service = attrs.path(Labels.SERVICE).asText();
                if (!services.isEmpty() && !services.contains(service)) return;
                long nanos = e.path("timeNano").asLong(e.path("time").asLong() * 1_000_000_000L);
                Instant t = Instant.ofEpochSecond(0, nanos);
                if (json) {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    o.put("time", t.toString()).put("type", e.path("Type").asText()).put("action", e.path("Action").asText())
                            .put("id", e.path("Actor").path("ID").asText()).put("service", service);
                    o.set("attributes", attrs);
                    root.rt.out().println(o);
                } else {
                    List<String> kv = new ArrayList<>();
                    new TreeMap<>(Views.map(attrs)).forEach((k, v) -> { if (k.equals("image") || k.equals("name")) kv.add(k + "=" + v); });
                    root.rt.out().println(Views.eventTime(t) + " " + e.path("Type").asText() + " " + e.path("Action").asText() + " "
                            + e.path("Actor").path("ID").asText() + " (" + String.join(", ", kv) + ")");
                }
                root.rt.out().flush();
            });
            return 0;
        }
    }

    @Command(name = "version", description = "Show the Docker Compose version information")
    static final class Version extends Sub {
        @Option(names = "--short") boolean isShort;
        @Option(names = {"-f", "--format"}) String format = "pretty";

        @Override
        public Integer call() {
            checkFormat(format, "pretty", "json");
            if (isShort) root.rt.out().println(Labels.COMPOSE_VERSION);
            else if (format.equals("json")) root.rt.out().println("{\"version\":\"v" + Labels.COMPOSE_VERSION + "\"}");
            else root.rt.out().println("Docker Compose version v" + Labels.COMPOSE_VERSION + " (berth compose)");
            return 0;
        }
    }

    /** A --format this command does not print (Go templates among them) is refused, never printed as the default. */
    static void checkFormat(String format, String... known) {
        if (!List.of(known).contains(format)) {
            throw new ComposeException("--format " + format + " is not supported by berth compose (" + String.join(" or ", known) + ")");
        }
    }

    // ---- exec / run -------------------------------------------------------------------------------

    /** The service's container number {@code index} (running ones only unless {@code all}), or Compose's error. */
    static JsonNode container(Compose c, String service, int index, boolean all) {
        c.project().service(service); // an unknown service is the loader's error
        return c.containers(all, false, List.of(service)).stream().filter(x -> Compose.number(x) == index).findFirst()
                .orElseThrow(() -> new ComposeException(index == 1 ? "service \"" + service + "\" is not running"
                        : "service \"" + service + "\" is not running container #" + index));
    }

    /**
     * Compose's {@code exec}: a TTY and stdin by default, {@code -T} for none; the berth CLI's {@code exec} runs it
     * (raw mode and terminal resizes on a TTY). Without a terminal on stdin there is none to give the process,
     * so it runs as with {@code -T}.
     */
    @Command(name = "exec", description = "Execute a command in a running container")
    static final class Exec extends Sub {
        @Option(names = "-T", description = "Disable pseudo-TTY allocation") boolean noTty;
        @Option(names = {"-t", "--tty"}, arity = "0..1", fallbackValue = "true", description = "Allocate a pseudo-TTY (the default)")
        boolean tty = true;
        @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true", description = "Keep STDIN open (the default)")
        boolean interactive = true;
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = {"-e", "--env"}) List<String> envs = new ArrayList<>();
        @Option(names = {"-u", "--user"}) String user;
        @Option(names = {"-w", "--workdir"}) String workdir;
        @Option(names = "--index") int index = 1;
        @Option(names = "--privileged") boolean privileged;
        @Parameters(index = "0") String service;
        @Parameters(index = "1..*") List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            if (command.isEmpty()) throw new ComposeException("exec requires a command");
            JsonNode ct = container(root.compose(List.of(service)), service, index, false);
            List<String> args = new ArrayList<>(List.of("exec"));
            if (detach) args.add("-d");
            if (interactive && !detach) args.add("-i");
            if (tty && !noTty && root.rt.stdinTty()) args.add("-t");
            envs.forEach(e -> args.addAll(List.of("-e", e)));
            if (user != null) args.addAll(List.of("-u", user));
            if (workdir != null) args.addAll(List.of("-w", workdir));
            if (privileged) args.add("--privileged");
            args.add(ct.path("Id").asText());
            args.addAll(command);
            return root.rt.cli().run(args);
        }
    }

    @Command(name = "attach", description = "Attach local standard input, output, and error streams to a service's running container")
    static final class Attach extends Sub {
        @Option(names = "--index") int index = 1;
        @Option(names = "--no-stdin") boolean noStdin;
        @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true") boolean sigProxy = true;
        @Option(names = "--detach-keys") String detachKeys;
        @Parameters(index = "0") String service;

        @Override
        public Integer call() {
            JsonNode ct = container(root.compose(List.of(service)), service, index, false);
            List<String> args = new ArrayList<>(List.of("attach"));
            if (noStdin) args.add("--no-stdin");
            if (!sigProxy) args.add("--sig-proxy=false");
            if (detachKeys != null) args.addAll(List.of("--detach-keys", detachKeys));
            args.add(ct.path("Id").asText());
            return root.rt.cli().run(args);
        }
    }

    /**
     * Compose's {@code cp}: {@code SERVICE:PATH} names the service's container {@code --index} (the first by
     * default) as the source; as the destination, every container of the service unless {@code --index} is given.
     */
    @Command(name = "cp", description = "Copy files/folders between a service container and the local filesystem")
    static final class Cp extends Sub {
        @Option(names = {"-a", "--archive"}) boolean archive;
        @Option(names = {"-L", "--follow-link"}) boolean followLink;
        @Option(names = "--index") Integer index;
        @Option(names = "--all", description = "Include containers that are not running (they always are)") boolean all;
        @Parameters(index = "0") String source;
        @Parameters(index = "1") String destination;

        /** A cp argument's service, or null for a local path (as the berth CLI's cp tells them apart). */
        static String serviceOf(String arg) {
            if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) return null;
            int colon = arg.indexOf(':');
            return colon <= 0 ? null : arg.substring(0, colon);
        }

        @Override
        public Integer call() {
            String from = serviceOf(source);
            String to = serviceOf(destination);
            if (from != null && to != null) throw new ComposeException("copying between services is not supported");
            if (from == null && to == null) throw new ComposeException("unknown copy direction");
            String service = from != null ? from : to;
            Compose c = root.compose(List.of(service));
            c.project().service(service);
            List<JsonNode> targets = c.containers(true, false, List.of(service)).stream()
                    .filter(x -> index == null ? to != null || Compose.number(x) == 1 : Compose.number(x) == index).toList();
            if (targets.isEmpty()) {
                throw new ComposeException("no container found for service \"" + service + "\"" + (index == null ? "" : " #" + index));
            }
            for (JsonNode ct : targets) {
                String id = ct.path("Id").asText();
                List<String> args = new ArrayList<>(List.of("cp"));
                if (archive) args.add("-a");
                if (followLink) args.add("-L");
                args.add(from != null ? id + source.substring(service.length()) : source);
                args.add(to != null ? id + destination.substring(service.length()) : destination);
                int status = root.rt.cli().run(args);
                if (status != 0) return status;
            }
            return 0;
        }
    }

    @Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
    static final class Stats extends Sub {
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--format") String format;
        @Option(names = "--no-stream") boolean noStream;
        @Option(names = "--no-trunc") boolean noTrunc;
        @Parameters(arity = "0..1") String service;

        @Override
        public Integer call() {
            List<String> services = service == null ? List.of() : List.of(service);
            Compose c = new Compose(root.projectOrName(services), root.runtime());
            List<JsonNode> list = c.containers(all, false, services);
            if (list.isEmpty()) return 0; // the CLI's stats without containers would show the whole daemon's
            List<String> args = new ArrayList<>(List.of("stats"));
            if (noStream) args.add("--no-stream");
            if (noTrunc) args.add("--no-trunc");
            if (format != null) args.addAll(List.of("--format", format));
            list.forEach(ct -> args.add(ct.path("Id").asText()));
            return root.rt.cli().run(args);
        }
    }

    /** Compose v2's {@code wait}: every container of the services, until each has stopped; the status of the last. */
    @Command(name = "wait", description = "Block until containers of all (or specified) services stop")
    static final class Wait extends Sub {
        @Option(names = "--down-project", description = "Drops project when the first container stops") boolean downProject;
        @Parameters(arity = "1..*") List<String> services = new ArrayList<>();

        @Override
        public Integer call() {
            Compose c = root.compose(services);
            List<JsonNode> list = c.containers(true, true, services);
            if (list.isEmpty()) throw new ComposeException("no containers for project \"" + c.project().name() + "\"");
            var client = root.rt.client();
            int[] last = {0};
            Compose.parallel(list, ct -> {
                String id = ct.path("Id").asText();
                int code = client.waitContainer(id, "not-running").path("StatusCode").asInt();
                synchronized (last) {
                    root.rt.out().println("container \"" + id + "\" exited with status code " + code);
                    last[0] = code;
                }
            });
            if (downProject) c.down(new Compose.DownOptions(true, false, null, null));
            return last[0];
        }
    }

    /** Compose v2's {@code scale}: the services' replica counts set, created or removed and started as by up. */
    @Command(name = "scale", description = "Scale services")
    static final class Scale extends Sub {
        @Option(names = "--no-deps", description = "Don't start linked services") boolean noDeps;
        @Parameters(arity = "1..*", paramLabel = "SERVICE=REPLICAS") List<String> specs = new ArrayList<>();

        @Override
        public Integer call() {
            Map<String, Integer> scales = new LinkedHashMap<>();
            for (String s : specs) {
                int eq = s.indexOf('=');
                if (eq <= 0 || eq == s.length() - 1) throw new ComposeException("invalid scale specifier: " + s);
                try {
                    scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    throw new ComposeException("invalid scale specifier: can't parse replica value as int: " + s);
                }
            }
            List<String> services = new ArrayList<>(new java.util.TreeSet<>(scales.keySet()));
            root.compose(services).up(new Compose.UpOptions(services, false, false, false, false, false, scales, false, noDeps));
            return 0;
        }
    }

    /** Refused by name: watch syncs files into containers as {@code develop.watch} says, and berth compose refuses {@code develop}. */
    @Command(name = "watch", description = "Watch build context for service and rebuild/refresh containers when files are updated (not supported)")
    static final class Watch extends Sub {
        @picocli.CommandLine.Unmatched List<String> rest = new ArrayList<>();

        @Override
        public Integer call() {
            throw new ComposeException("watch is not supported by berth compose: it needs develop.watch (file sync and rebuild"
                    + " on change), which berth compose refuses; run up --build after a change (see docs/compose.md)");
        }
    }

    /**
     * Compose v2's {@code run}: the one-off container is created with a TTY and an open stdin by default, then started
     * and attached by the berth CLI's own {@code start -a [-i]} (raw mode, resizes, signals: one implementation), as
     * Compose runs the docker CLI's start. The TTY follows Compose: {@code -T} or stdout not a terminal disables it, and
     * so does a stdin that is not a terminal unless {@code -t}, {@code -T} or {@code -i} was given.
     */
    @Command(name = "run", description = "Run a one-off command on a service")
    static final class Run extends Sub {
        @Option(names = "--rm") boolean remove;
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = {"-e", "--env"}) List<String> envs = new ArrayList<>();
        @Option(names = "--entrypoint") String entrypoint;
        @Option(names = "--name") String name;
        @Option(names = "--no-deps") boolean noDeps;
        @Option(names = {"-u", "--user"}) String user;
        @Option(names = {"-w", "--workdir"}) String workdir;
        @Option(names = {"-T", "--no-TTY", "--no-tty"}, description = "Disable pseudo-TTY allocation")
        Boolean noTty;
        @Option(names = {"-t", "--tty"}, arity = "0..1", fallbackValue = "true", description = "Allocate a pseudo-TTY (the default on a terminal)")
        Boolean tty;
        @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true", description = "Keep STDIN open (the default)")
        Boolean interactive;
        @Option(names = {"-P", "--service-ports"}) boolean servicePorts;
        @Parameters(index = "0") String service;
        @Parameters(index = "1..*") List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            boolean withTty = withTty(noTty, tty, interactive, root.rt.stdinTty(), root.rt.stdoutTty());
            boolean stdin = !detach && (interactive == null || interactive);
            if (withTty && stdin && !root.rt.stdinTty()) throw new ComposeException("the input device is not a TTY");
            Compose c = root.compose(List.of(service));
            Map<String, String> env = new LinkedHashMap<>();
            for (String e : envs) {
                int eq = e.indexOf('=');
                if (eq < 0) { String v = root.env.get(e); if (v != null) env.put(e, v); } else env.put(e.substring(0, eq), e.substring(eq + 1));
            }
            ContainerSpec.Plan plan = c.runPlan(new Compose.RunOptions(service, command, env, entrypoint, remove && !detach, name, noDeps,
                    user, workdir, withTty, stdin, servicePorts));
            String id = c.createContainer(plan);
            if (detach) {
                root.rt.client().startContainer(id);
                root.rt.out().println(plan.name());
                return 0;
            }
            List<String> start = new ArrayList<>(List.of("start", "-a"));
            if (stdin) start.add("-i");
            start.add(id);
            int code = root.rt.cli().run(start);
            if (remove) {
                try {
                    root.rt.client().removeContainer(id, true, false);
                } catch (EngineApiException e) {
                    if (e.status() != 404 && e.status() != 409) throw e; // AutoRemove may be at it already
                }
            }
            return code;
        }

        /** Compose v2's rule for run's TTY (null: the flag was not given). */
        static boolean withTty(Boolean noTty, Boolean tty, Boolean interactive, boolean stdinTty, boolean stdoutTty) {
            if (tty != null) {
                if (noTty != null) throw new ComposeException("--tty and --no-tty can't be used together");
                return tty;
            }
            if (noTty != null) return !noTty;
            if (interactive == null && !stdinTty) return false; // piped from a script: nothing to give a terminal to
            return stdoutTty;
        }
    }

    /** Small formatting helpers shared by the views. */
    static final class Views {
        private Views() {}

        static void table(java.io.PrintStream out, String[] header, List<String[]> rows) {
            int[] w = new int[header.length];
            for (int i = 0; i < header.length; i++) w[i] = header[i].length();
            for (String[] r : rows) for (int i = 0; i < r.length && i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
            List<String[]> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            for (String[] r : all) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < header.length; i++) {
                    String cell = i < r.length ? r[i] : "";
                    sb.append(cell);
                    if (i < header.length - 1) sb.append(" ".repeat(w[i] - cell.length() + 3));
                }
                out.println(sb.toString().stripTrailing());
            }
        }

        static String command(String cmd) {
            String c = cmd.length() > 20 ? cmd.substring(0, 19) + "…" : cmd;
            return "\"" + c + "\"";
        }

        static String ago(long created) {
            Duration d = Duration.between(Instant.ofEpochSecond(created), Instant.now());
            long s = Math.max(0, d.getSeconds());
            if (s < 60) return s <= 1 ? "1 second ago" : s + " seconds ago";
            if (s < 3600) return s / 60 == 1 ? "About a minute ago" : s / 60 + " minutes ago";
            if (s < 86400) return s / 3600 == 1 ? "About an hour ago" : s / 3600 + " hours ago";
            return s / 86400 + " days ago";
        }

        static String ports(JsonNode ports) {
            List<String> out = new ArrayList<>();
            for (JsonNode p : ports) {
                String proto = p.path("Type").asText("tcp");
                if (p.has("PublicPort")) {
                    out.add(p.path("IP").asText("0.0.0.0") + ":" + p.path("PublicPort").asText() + "->" + p.path("PrivatePort").asText() + "/" + proto);
                } else {
                    out.add(p.path("PrivatePort").asText() + "/" + proto);
                }
            }
            return String.join(", ", out);
        }

        static String size(long bytes) {
            if (bytes < 1000) return bytes + "B";
            if (bytes < 1_000_000) return String.format("%.3gkB", bytes / 1e3);
            if (bytes < 1_000_000_000) return String.format("%.3gMB", bytes / 1e6);
            return String.format("%.3gGB", bytes / 1e9);
        }

        static Map<String, String> map(JsonNode o) {
            Map<String, String> m = new LinkedHashMap<>();
            o.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
            return m;
        }

        static String eventTime(Instant t) {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC).format(t);
        }

        static ObjectNode psJson(JsonNode x) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("Command", "\"" + x.path("Command").asText() + "\"");
            o.put("CreatedAt", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").withZone(java.time.ZoneOffset.UTC)
                    .format(Instant.ofEpochSecond(x.path("Created").asLong())));
            o.put("ExitCode", exitCode(x.path("Status").asText()));
            o.put("Health", health(x.path("Status").asText()));
            o.put("ID", x.path("Id").asText());
            o.put("Image", x.path("Image").asText());
            List<String> labels = new ArrayList<>();
            x.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            o.put("Labels", String.join(",", labels));
            o.put("Name", Compose.name(x));
            o.put("Names", Compose.name(x));
            o.put("Ports", ports(x.path("Ports")));
            o.put("Project", x.path("Labels").path(Labels.PROJECT).asText());
            ArrayNode pubs = o.putArray("Publishers");
            for (JsonNode p : x.path("Ports")) {
                pubs.addObject().put("URL", p.path("IP").asText("")).put("TargetPort", p.path("PrivatePort").asInt())
                        .put("PublishedPort", p.path("PublicPort").asInt(0)).put("Protocol", p.path("Type").asText("tcp"));
            }
            o.put("RunningFor", ago(x.path("Created").asLong()));
            o.put("Service", x.path("Labels").path(Labels.SERVICE).asText());
            o.put("State", x.path("State").asText());
            o.put("Status", x.path("Status").asText());
            return o;
        }

        private static int exitCode(String status) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Exited \\((\\d+)\\)").matcher(status);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        private static String health(String status) {
            if (status.contains("(healthy)")) return "healthy";
            if (status.contains("(unhealthy)")) return "unhealthy";
            if (status.contains("(health: starting)")) return "starting";
            return "";
        }
    }
}
