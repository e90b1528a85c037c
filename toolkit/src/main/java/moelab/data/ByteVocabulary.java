package moelab.data;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level vocabulary: token id = one byte of the text's UTF-8 encoding, 0..255.
 *
 * <p>Every text is encodable; a non-ASCII character becomes 2–4 tokens. Bits per character on
 * ASCII-only text (as the KJV is) equal bits per byte.
 */
public final class ByteVocabulary implements Vocabulary {

    /** The single instance. */
    public static final ByteVocabulary INSTANCE = new ByteVocabulary();

    private ByteVocabulary() {}

    @Override
    public int size() {
        return 256;
    }

    @Override
    public Level level() {
        return Level.BYTE;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] > 255) {
                throw new IllegalArgumentException("not a byte token: " + ids[i]);
            }
            bytes[i] = (byte) ids[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "byte-level vocabulary (256)";
    }
}
