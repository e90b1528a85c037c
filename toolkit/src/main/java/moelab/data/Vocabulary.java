package moelab.data;

/**
 * Maps text to token ids 0..size-1 and back, for character-level language models.
 *
 * <p>Two kinds: {@link ByteVocabulary} (the 256 byte values of the UTF-8 encoding, the default:
 * fixed, covers any text) and {@link CharVocabulary} (the distinct characters of a corpus).
 */
public interface Vocabulary {

    /** Which kind of vocabulary a corpus uses. */
    enum Level {
        /** One token per UTF-8 byte; 256 tokens. */
        BYTE,
        /** One token per distinct character (Unicode code unit) of the corpus. */
        CHAR
    }

    /**
     * Returns the number of tokens.
     *
     * @return V; ids are 0..V-1
     */
    int size();

    /**
     * Returns the kind of this vocabulary.
     *
     * @return BYTE or CHAR
     */
    Level level();

    /**
     * Encodes text.
     *
     * @param text the text
     * @return its token ids
     * @throws IllegalArgumentException when the text has a character outside the vocabulary
     */
    int[] encode(String text);

    /**
     * Decodes token ids.
     *
     * @param ids token ids
     * @return the text they spell
     */
    String decode(int[] ids);
}
