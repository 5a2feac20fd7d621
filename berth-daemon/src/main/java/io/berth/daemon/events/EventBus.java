package io.berth.daemon.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Engine events for `/events`: services publish, each subscriber gets its own queue. A bounded history
 * lets `--since` replay recent events, as Docker does.
 */
public final class EventBus {
    private static final int HISTORY = 1024;

    /** One event in Docker's shape: Type (container, image, ...), Action (start, die, ...), Actor. */
    public record Event(String type, String action, String actorId, Map<String, String> attributes, Instant time) {}

    private final List<BlockingQueue<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final Deque<Event> history = new ArrayDeque<>();

    public void publish(String type, String action, String actorId, Map<String, String> attributes) {
        Event event = new Event(type, action, actorId, attributes, Instant.now());
        synchronized (history) {
            history.addLast(event);
            if (history.size() > HISTORY) history.removeFirst();
        }
        for (BlockingQueue<Event> q : subscribers) q.offer(event);
    }

    /** How many /events streams are open (/info's NEventsListener). */
    public int listeners() {
        return subscribers.size();
    }

    /** Subscribes first and then copies the history, so no event between the two is lost. */
    public Subscription subscribe(Instant since) {
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        subscribers.add(queue);
        List<Event> past;
        synchronized (history) {
            past = since == null ? List.of() : history.stream().filter(e -> !e.time().isBefore(since)).toList();
        }
        return new Subscription(queue, past);
    }

    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<Event> queue;
        private final List<Event> past;

        private Subscription(BlockingQueue<Event> queue, List<Event> past) {
            this.queue = queue;
            this.past = past;
        }

        public List<Event> past() {
            return past;
        }

        /** Next live event, or null after the timeout. */
        public Event next(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            subscribers.remove(queue);
        }
    }
}
