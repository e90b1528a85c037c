package moelab.data;

/**
 * A long, read-only sequence of token ids stored compactly: one byte per token when the vocabulary
 * has at most 256 tokens, else one {@code char} (up to 65,536 tokens).
 *
 * <p>WikiText-103's training text is about 540 million bytes; as {@code int}s it would need 2 GB.
 */
public final class TokenSequence {

    private final byte[] bytes;
    private final char[] chars;

    private TokenSequence(byte[] bytes, char[] chars) {
        this.bytes = bytes;
        this.chars = chars;
    }

    /**
     * Wraps byte tokens (ids 0..255) without copying.
     *
     * @param bytes the tokens, read as unsigned
     * @return the sequence
     */
    public static TokenSequence ofBytes(byte[] bytes) {
        return new TokenSequence(bytes, null);
    }

    /**
     * Stores token ids in 0..65535.
     *
     * @param ids the ids
     * @return the sequence, bytes when every id is below 256
     */
    public static TokenSequence of(int[] ids) {
        int max = 0;
        for (int id : ids) {
            if (id < 0 || id > Character.MAX_VALUE) {
                throw new IllegalArgumentException("token id out of 0..65535: " + id);
            }
            max = Math.max(max, id);
        }
        if (max < 256) {
            byte[] b = new byte[ids.length];
            for (int i = 0; i < ids.length; i++) {
                b[i] = (byte) ids[i];
            }
            return new TokenSequence(b, null);
        }
        char[] c = new char[ids.length];
        for (int i = 0; i < ids.length; i++) {
            c[i] = (char) ids[i];
        }
        return new TokenSequence(null, c);
    }

    /**
     * Returns the number of tokens.
     *
     * @return the length
     */
    public int length() {
        return bytes != null ? bytes.length : chars.length;
    }

    /**
     * Returns one token id.
     *
     * @param i the position
     * @return the id at position i
     */
    public int get(int i) {
        return bytes != null ? bytes[i] & 0xFF : chars[i];
    }

    /**
     * Copies a contiguous part.
     *
     * @param from first position, inclusive
     * @param to last position, exclusive
     * @return the tokens from..to-1
     */
    public TokenSequence slice(int from, int to) {
        if (bytes != null) {
            return new TokenSequence(java.util.Arrays.copyOfRange(bytes, from, to), null);
        }
        return new TokenSequence(null, java.util.Arrays.copyOfRange(chars, from, to));
    }

    /**
     * Copies a window into an int array.
     *
     * @param from first position
     * @param target the array that receives the ids
     * @param offset first index written in target
     * @param length number of ids copied
     */
    public void copy(int from, int[] target, int offset, int length) {
        for (int i = 0; i < length; i++) {
            target[offset + i] = get(from + i);
        }
    }

    /**
     * Returns all ids as ints.
     *
     * @return a new array of {@link #length()} ids
     */
    public int[] toArray() {
        int[] out = new int[length()];
        copy(0, out, 0, out.length);
        return out;
    }
}
