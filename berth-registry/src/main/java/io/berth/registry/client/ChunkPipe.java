package io.berth.registry.client;

import io.berth.http.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory pipe from one writer thread to one reader thread, passing copies of whole chunks.
 * <p>
 * Unlike {@link java.io.PipedInputStream} it never ties itself to thread identity (fine with virtual threads),
 * and the writer can never be stuck by a reader that gave up: once the reader is closed, writes are dropped.
 * That is what lets a download feed an unpacker without the unpacker's failure ever failing the download.
 * <p>
 * The chunk buffers are recycled: at most {@code capacity + 1} exist per pipe. A fresh array per chunk would
 * outlive the young generation while it waits in the pipe, so a 200 MB layer pushed 200 MB through the old
 * generation and left berthd's heap (and RSS) that much bigger after one pull.
 */
final class ChunkPipe {
    private record Chunk(byte[] bytes, int length) {
    }

    private final int capacity;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean writerDone;
    private boolean writerFailed;
    private boolean readerClosed;

    /** @param capacity chunks buffered before the writer waits */
    ChunkPipe(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Queues a copy of the bytes, waiting while the pipe is full.
     *
     * @return false when the reader has gone (the bytes were dropped)
     */
    boolean write(byte[] bytes, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            // nothing to pass on; queued, an empty chunk would make the reader return 0 from read()
            return true;
        }
        lock.lock();
        try {
            while (chunks.size() >= capacity && !readerClosed) {
                notFull.await();
            }
            if (readerClosed) {
                return false;
            }
            byte[] buffer = spare.pollFirst();
            if (buffer == null || buffer.length < length) {
                buffer = new byte[length];
            }
            System.arraycopy(bytes, offset, buffer, 0, length);
            chunks.addLast(new Chunk(buffer, length));
            notEmpty.signal();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while feeding the pipe");
        } finally {
            lock.unlock();
        }
    }

    /** End of stream: the reader sees EOF once it has taken every queued chunk. */
    void finish() {
        lock.lock();
        try {
            writerDone = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The writer gave up: the reader's next read throws instead of returning EOF or queued bytes. */
    void fail() {
        lock.lock();
        try {
            writerDone = true;
            writerFailed = true;
            chunks.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reading end; closing it releases a waiting writer and makes further writes no-ops. */
    InputStream reader() {
        return new BlockInputStream() {
            private Chunk current;
            private int position;

            @Override
            protected int readBlock(byte[] b, int off, int len) throws IOException {
                if (current == null || position == current.length()) {
                    current = take(current);
                    position = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length() - position);
                System.arraycopy(current.bytes(), position, b, off, n);
                position += n;
                return n;
            }

            @Override
            public void close() {
                closeReader();
            }
        };
    }

    /** The reader is done (or gave up): releases a waiting writer and turns further writes into no-ops. */
    void closeReader() {
        lock.lock();
        try {
            readerClosed = true;
            chunks.clear();
            spare.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the chunk the reader has finished (null for none) and returns the next, or null at end of stream. */
    private Chunk take(Chunk finished) throws IOException {
        lock.lock();
        try {
            if (finished != null && !readerClosed) {
                spare.addLast(finished.bytes());
            }
            while (true) {
                if (writerFailed) {
                    throw new IOException("the download feeding this pipe was abandoned");
                }
                Chunk next = chunks.pollFirst();
                if (next != null) {
                    notFull.signal();
                    return next;
                }
                if (writerDone) {
                    return null;
                }
                notEmpty.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the pipe");
        } finally {
            lock.unlock();
        }
    }
}
