package io.berth.build.exec;

import io.berth.build.dockerfile.Dockerfile;
import io.berth.build.dockerfile.Instruction;
import io.berth.build.dockerfile.VariableExpander;
import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stages of a Dockerfile as a graph: a stage depends on the earlier stage its FROM names and on the earlier
 * stages its COPY --from and RUN --mount from= name (by alias or index). Only the target and what it depends on are built; a name
 * that is not an earlier stage is an image.
 */
final class StageGraph {
    private final Dockerfile dockerfile;
    private final Map<String, Integer> byName = new HashMap<>();

    StageGraph(Dockerfile dockerfile) {
        this.dockerfile = dockerfile;
        for (Dockerfile.Stage s : dockerfile.stages()) {
            if (s.from().alias() != null) {
                String alias = s.from().alias().toLowerCase(Locale.ROOT);
                if (byName.containsKey(alias)) {
                    throw new InvalidArgumentException(s.from().location() + ": duplicate stage name \"" + s.from().alias() + "\"");
                }
                byName.put(alias, s.index());
            }
        }
    }

    /** The index of the stage called {@code name} (alias or number) defined before {@code before}, or -1. */
    int find(String name, int before) {
        String n = name.toLowerCase(Locale.ROOT);
        Integer idx = byName.get(n);
        if (idx == null && n.matches("\\d+")) {
            try {
                idx = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                idx = null;
            }
        }
        return idx != null && idx < before ? idx : -1;
    }

    int target(String target) {
        if (dockerfile.stages().isEmpty()) {
            throw new InvalidArgumentException("the Dockerfile has no FROM instruction");
        }
        if (target == null) {
            return dockerfile.stages().size() - 1;
        }
        Integer idx = byName.get(target.toLowerCase(Locale.ROOT));
        if (idx == null) {
            throw new InvalidArgumentException("failed to reach build target " + target + " in Dockerfile");
        }
        return idx;
    }

    /** The stages {@code target} needs, itself included, in Dockerfile order. */
    List<Integer> needed(int target, Map<String, String> globalArgs, char escape) {
        Set<Integer> seen = new TreeSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(target));
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (!seen.add(i)) {
                continue;
            }
            Dockerfile.Stage s = dockerfile.stages().get(i);
            String base = VariableExpander.expand(s.from().image(), globalArgs::get, escape);
            int dep = find(base, i);
            if (dep >= 0 && byName.containsKey(base.toLowerCase(Locale.ROOT))) {
                todo.push(dep);
            }
            for (Instruction in : s.instructions()) {
                if (in instanceof Instruction.Copy c && c.from() != null && !c.from().isEmpty()) {
                    int d = find(c.from(), i);
                    if (d >= 0) {
                        todo.push(d);
                    }
                }
                if (in instanceof Instruction.Run r && r.flags().containsKey("mount")) {
                    for (String from : mountFroms(r.flags().get("mount"))) {
                        int d = find(from, i);
                        if (d >= 0) {
                            todo.push(d);
                        }
                    }
                }
            }
        }
        return List.copyOf(seen);
    }

    /** The from= values of RUN's --mount flags (one flag per line). */
    private static List<String> mountFroms(String flags) {
        List<String> out = new java.util.ArrayList<>();
        for (String flag : flags.split("\n")) {
            for (String field : flag.split(",")) {
                if (field.trim().toLowerCase(Locale.ROOT).startsWith("from=")) out.add(field.substring(field.indexOf('=') + 1));
            }
        }
        return out;
    }
}
