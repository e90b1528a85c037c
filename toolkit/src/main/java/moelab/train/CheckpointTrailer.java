package moelab.train;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The last 16 bytes of a {@link Checkpoint}: the CRC-32 of every byte before them (8 bytes) and an
 * end mark (8 bytes). A file cut short (a full disk, a copy interrupted) lacks the end mark; a
 * file whose bytes changed fails the CRC. Both are told apart from "not a checkpoint" and from "a
 * checkpoint of another model".
 */
final class CheckpointTrailer {

    /** "moelab.." as a long: the last 8 bytes of every complete checkpoint. */
    static final long END = 0x6D6F656C61622E2EL;

    /** Trailer length in bytes. */
    static final int LENGTH = 16;

    private CheckpointTrailer() {}

    /** Passes bytes through, summing them; {@link #finish} appends the trailer. */
    static final class Writer extends FilterOutputStream {
        private final CRC32 crc = new CRC32();

        Writer(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            crc.update(b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            out.write(b, off, len);
        }

        /** Appends the CRC and the end mark. */
        void finish() throws IOException {
            long sum = crc.getValue();
            for (long v : new long[] {sum, END}) {
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) (v >>> shift));
                }
            }
            out.flush();
        }
    }

    /**
     * Checks that {@code file} ends with the end mark and that its CRC matches.
     *
     * @throws IOException whose message says "is truncated" or "is damaged" and why
     */
    static void verify(Path file) throws IOException {
        long size = Files.size(file);
        long storedCrc;
        long end;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (size < LENGTH) {
                throw new IOException("is truncated (" + size + " bytes, no end mark)");
            }
            raf.seek(size - LENGTH);
            storedCrc = raf.readLong();
            end = raf.readLong();
        }
        if (end != END) {
            throw new IOException("is truncated (" + size + " bytes, no end mark: the writing"
                    + " process stopped early or the file was cut)");
        }
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        long left = size - LENGTH;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("is truncated (ends early while being read)");
                }
                crc.update(buffer, 0, n);
                left -= n;
            }
        }
        if (crc.getValue() != storedCrc) {
            throw new IOException("is damaged (its CRC-32 does not match: bytes changed after it"
                    + " was written)");
        }
    }
}
