package io.seismo.train;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * A window [from, to) of a topic's readings and the series taken from it, as {@code seismo replay} and {@code seismo
 * score --topic} are given it: two {@link ReplayTime}s and a {@link SeriesPattern}.
 */
public record ReadingWindow(Instant from, Instant to, SeriesPattern series) {
    /**
     * The window {@code --from}, {@code --to} and {@code --series} give (a null series: every series), times read against
     * {@code now}; it may be empty.
     *
     * @throws IllegalArgumentException naming the option whose value cannot be read
     */
    public static ReadingWindow of(String from, String to, String series, Instant now) {
        Instant start = option("--from", () -> ReplayTime.parse(from, now));
        Instant end = option("--to", () -> ReplayTime.parse(to, now));
        SeriesPattern pattern = series == null ? SeriesPattern.ALL : option("--series", () -> SeriesPattern.of(series));
        return new ReadingWindow(start, end, pattern);
    }

    /** Whether no instant lies in it: from is not before to. */
    public boolean empty() {
        return !from.isBefore(to);
    }

    /** What an option's value refuses to be read as is refused naming the option. */
    private static <T> T option(String name, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
