package io.berth.registry.client;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body that is a slice of an array, handed to the client as read-only views of it. The JDK's
 * {@code BodyPublishers.ofByteArray(bytes, offset, length)} copies the slice into fresh 16 KiB buffers on every
 * send: for an upload chunk that is the chunk's size again in garbage each time, which pushed berthd's peak RSS up
 * by about the layer's size per push (200 MB per 200 MB layer, measured). Each subscriber (a request repeated after
 * an auth challenge) gets the slice from its start.
 */
final class ByteSlicePublisher implements HttpRequest.BodyPublisher {
    private static final int PIECE = 64 * 1024;

    private final byte[] bytes;
    private final int offset;
    private final int length;

    ByteSlicePublisher(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** Emits the slice in pieces as they are asked for; a request made from inside onNext only adds demand. */
    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private long demand;
        private int position;
        private boolean emitting;
        private boolean done;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("non-positive request " + n));
                return;
            }
            lock.lock();
            try {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (emitting) return; // the loop below, further up this stack or on another thread, emits it
                emitting = true;
            } finally {
                lock.unlock();
            }
            while (true) {
                ByteBuffer piece = null;
                boolean complete = false;
                lock.lock();
                try {
                    if (done) {
                        emitting = false;
                        return;
                    }
                    if (position == length) {
                        done = true;
                        complete = true;
                    } else if (demand > 0) {
                        int n2 = Math.min(PIECE, length - position);
                        piece = ByteBuffer.wrap(bytes, offset + position, n2).slice();
                        position += n2;
                        demand--;
                    } else {
                        emitting = false;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                if (complete) {
                    subscriber.onComplete();
                    return;
                }
                subscriber.onNext(piece);
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                done = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
