package moelab.models;

/** The one check every config part uses: a bad value fails naming its key, the value and the rule. */
final class Checks {

    private Checks() {}

    /**
     * @throws IllegalArgumentException {@code "<key> = <value>: <rule>"} unless {@code ok}
     */
    static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " = " + value + ": " + rule);
        }
    }

    /** A config's name: a non-empty label. */
    static void name(String name) {
        require(name != null && !name.isBlank(), "name", name, "must be a non-empty label");
    }

    /** A part that must be there. */
    static void present(String key, Object part) {
        require(part != null, key, part, "must be set");
    }
}
