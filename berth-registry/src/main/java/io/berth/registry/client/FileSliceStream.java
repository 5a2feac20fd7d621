package io.berth.registry.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads {@code length} bytes of a file from {@code offset}, reporting progress as it goes (an upload body). */
final class FileSliceStream extends FilterInputStream {
    private final ByteProgress progress;
    private long remaining;

    private FileSliceStream(InputStream in, long length, ByteProgress progress) {
        super(in);
        this.remaining = length;
        this.progress = progress;
    }

    static InputStream open(Path file, long offset, long length, ByteProgress progress) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new FileSliceStream(Channels.newInputStream(channel), length, progress);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
            if (progress != null) {
                progress.advance(n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }
}
