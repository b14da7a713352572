package io.seismo.train;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The points in time a replay is bounded by, as people write them: an ISO-8601 instant ({@code 2026-01-01T00:00:00Z},
 * offsets allowed), a date ({@code 2026-01-01}, midnight UTC), epoch milliseconds ({@code 1767225600000}), a duration
 * back from now ({@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}, {@code 500ms}, {@code 2w}) or {@code now}.
 */
public final class ReplayTime {
    /** What every error message lists. */
    public static final String FORMATS = "an ISO-8601 instant (2026-01-01T00:00:00Z), a date (2026-01-01, midnight UTC),"
            + " epoch milliseconds, a duration back from now (7d, 12h, 30m, 90s, 500ms, 2w) or 'now'";

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private ReplayTime() {
    }

    /**
     * Parses one point in time.
     *
     * @param now the instant relative durations count back from
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Instant parse(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("now")) {
                return now;
            }
            if (DIGITS.matcher(t).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            Matcher relative = RELATIVE.matcher(lower);
            if (relative.matches()) {
                return now.minus(duration(Long.parseLong(relative.group(1)), relative.group(2)));
            }
            if (DATE.matcher(t).matches()) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static Duration duration(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
            default -> throw new IllegalStateException(unit);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a time: use " + FORMATS);
    }
}
