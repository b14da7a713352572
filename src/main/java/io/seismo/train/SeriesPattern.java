package io.seismo.train;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which series a replay keeps, matched against the record key (the series id): a glob that must match the whole id
 * ({@code sensor-*}; {@code *} is any run of characters, {@code ?} any one character) or, written between slashes,
 * a regular expression found anywhere in the id ({@code /^sensor-0[12]/}).
 */
public final class SeriesPattern {
    /** Every record, keyed or not. */
    public static final SeriesPattern ALL = new SeriesPattern("*", null);

    private final String text;
    private final Pattern pattern;

    private SeriesPattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * Parses a glob, or a regular expression between slashes.
     *
     * @throws IllegalArgumentException when the pattern is empty or the regular expression does not compile
     */
    public static SeriesPattern of(String text) {
        if (text == null || text.isEmpty() || text.equals("/")) {
            throw new IllegalArgumentException("empty series pattern: use a glob (sensor-*) or a regular expression (/sensor-0[12]/)");
        }
        if (text.equals("*")) {
            return ALL;
        }
        if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
            String regex = text.substring(1, text.length() - 1);
            try {
                return new SeriesPattern(text, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("series pattern " + text + " is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
        return new SeriesPattern(text, Pattern.compile(globToRegex(text)));
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }

    /** Whether a record with this key is kept; a record without a key is kept only by {@link #ALL}. */
    public boolean matches(String seriesId) {
        if (pattern == null) {
            return true;
        }
        if (seriesId == null) {
            return false;
        }
        return text.startsWith("/") ? pattern.matcher(seriesId).find() : pattern.matcher(seriesId).matches();
    }

    /** Whether this pattern keeps every record. */
    public boolean all() {
        return pattern == null;
    }

    @Override
    public String toString() {
        return text;
    }
}
