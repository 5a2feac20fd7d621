package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** `ps` output (titles first) limited to a set of pids, as Docker's top does it. */
final class ProcessTable {
    private ProcessTable() {}

    static List<List<String>> of(List<Integer> pids, String psArgs) {
        List<String> cmd = new ArrayList<>(List.of("ps"));
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        cmd.addAll(List.of(args.trim().split("\\s+")));
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new InvalidArgumentException("ps: " + out.trim());
        } catch (IOException ex) {
            throw new SystemFailureException("running ps: " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted running ps", ex);
        }
        return filter(out, pids);
    }

    /** Keeps the title line and the rows whose PID column is one of {@code pids}. */
    static List<List<String>> filter(String psOutput, List<Integer> pids) {
        String[] lines = psOutput.split("\n");
        List<String> titles = List.of(lines[0].trim().split("\\s+"));
        int pidCol = titles.indexOf("PID");
        if (pidCol < 0) throw new InvalidArgumentException("Couldn't find PID field in ps output");
        List<List<String>> rows = new ArrayList<>();
        rows.add(titles);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] f = lines[i].trim().split("\\s+", titles.size());
            if (f.length <= pidCol) continue;
            try {
                if (pids.contains(Integer.parseInt(f[pidCol]))) rows.add(List.of(f));
            } catch (NumberFormatException ignored) {
                // not a process row
            }
        }
        return rows;
    }
}
