package moelab.data;

import java.util.Arrays;

/**
 * Character-level vocabulary: the distinct characters of a corpus, sorted, id = rank.
 *
 * <p>Built from the whole corpus (all splits), as is usual for character-level benchmarks, so the
 * validation and test text never hold an unknown character.
 */
public final class CharVocabulary implements Vocabulary {

    private final char[] chars;
    private final int[] ids = new int[Character.MAX_VALUE + 1];

    private CharVocabulary(char[] sortedDistinct) {
        this.chars = sortedDistinct;
        Arrays.fill(ids, -1);
        for (int i = 0; i < chars.length; i++) {
            ids[chars[i]] = i;
        }
    }

    /**
     * Builds the vocabulary of some texts.
     *
     * @param texts the texts whose characters form the vocabulary
     * @return the vocabulary of their distinct characters
     */
    public static CharVocabulary of(CharSequence... texts) {
        boolean[] seen = new boolean[Character.MAX_VALUE + 1];
        int count = 0;
        for (CharSequence text : texts) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!seen[c]) {
                    seen[c] = true;
                    count++;
                }
            }
        }
        char[] sorted = new char[count];
        int k = 0;
        for (int c = 0; c < seen.length; c++) {
            if (seen[c]) {
                sorted[k++] = (char) c;
            }
        }
        return new CharVocabulary(sorted);
    }

    @Override
    public int size() {
        return chars.length;
    }

    @Override
    public Level level() {
        return Level.CHAR;
    }

    /**
     * Returns the id of one character.
     *
     * @param c the character
     * @return its id, or -1 when it is not in the vocabulary
     */
    public int id(char c) {
        return ids[c];
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids[text.charAt(i)];
            if (out[i] < 0) {
                throw new IllegalArgumentException(
                        String.format("character U+%04X at position %d is not in the vocabulary",
                                (int) text.charAt(i), i));
            }
        }
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        char[] out = new char[tokenIds.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = chars[tokenIds[i]];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "character-level vocabulary (" + chars.length + ")";
    }
}
