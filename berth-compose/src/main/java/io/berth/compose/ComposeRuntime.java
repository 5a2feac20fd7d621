package io.berth.compose;

import io.berth.client.EngineClient;
import io.berth.client.RegistryAuth;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * What the compose commands work with: the Engine API client, the streams (and which are terminals), the
 * build-context maker, the registry credentials for an image name (the CLI's docker config file) and the CLI's
 * container commands: one implementation of each.
 */
public record ComposeRuntime(EngineClient client, InputStream in, PrintStream out, PrintStream err,
                             boolean stdinTty, boolean stdoutTty, boolean stderrTty, BuildContexts contexts,
                             Function<String, RegistryAuth> auth, ContainerCommands cli) {}
