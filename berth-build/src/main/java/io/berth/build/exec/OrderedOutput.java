package io.berth.build.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the classic step-by-step output readable while stages build concurrently: the earliest unfinished
 * stage prints live, later stages are buffered and flushed, in stage order, when their turn comes.
 */
final class OrderedOutput {
    private final BuildOutput target;
    private final List<Integer> order;
    private final Map<Integer, List<String>> buffered = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private int head;

    OrderedOutput(BuildOutput target, List<Integer> order) {
        this.target = target;
        this.order = List.copyOf(order);
        order.forEach(i -> buffered.put(i, new ArrayList<>()));
    }

    Consumer<String> sink(int stage) {
        return line -> {
            synchronized (this) {
                if (head < order.size() && order.get(head) == stage) {
                    target.line(line);
                } else {
                    buffered.get(stage).add(line);
                }
            }
        };
    }

    synchronized void finish(int stage) {
        finished.add(stage);
        while (head < order.size() && finished.contains(order.get(head))) {
            head++;
            if (head < order.size()) {
                List<String> lines = buffered.get(order.get(head));
                lines.forEach(target::line);
                lines.clear();
            }
        }
    }

    synchronized void line(String text) {
        target.line(text);
    }
}
