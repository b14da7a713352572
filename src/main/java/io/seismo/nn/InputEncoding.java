package io.seismo.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which inputs a network reads per step besides the scaled value, and how to encode them. Immutable and
 * thread-safe.
 *
 * <p>The input vector always starts with the scaled value; the enabled extras follow in this fixed order,
 * whatever order they were listed in:
 * <ul>
 *   <li>{@code time-of-day}: sin and cos of 2&pi; times the fraction of the UTC day elapsed (2 inputs; midnight
 *       is (0, 1), 06:00 is (1, 0));</li>
 *   <li>{@code day-of-week}: sin and cos of 2&pi; times the fraction of the UTC week elapsed, weeks starting on
 *       Monday 00:00 UTC (2 inputs; Monday 00:00 is (0, 1));</li>
 *   <li>{@code gap}: {@code log1p(max(0, (timestamp - previousTimestamp) / typicalGap))} clipped to
 *       [0, {@link #MAX_GAP_INPUT}] (1 input; a typical gap encodes as ln 2, a missing previous reading as a
 *       typical gap).</li>
 * </ul>
 *
 * <p>The calendar inputs assume timestamps with calendar meaning (epoch milliseconds of wall-clock time, read
 * in UTC); for series whose timestamps are counters or synthetic clocks they only add noise. Arithmetic is on
 * epoch milliseconds, without {@code java.time}, and works for timestamps before 1970.
 */
public final class InputEncoding {

    public static final String VALUE = "value";
    public static final String TIME_OF_DAY = "time-of-day";
    public static final String DAY_OF_WEEK = "day-of-week";
    public static final String GAP = "gap";

    /** Pass as {@code previousTimestampMillis} for the first reading of a series: encodes a typical gap. */
    public static final long NO_PREVIOUS = Long.MIN_VALUE;

    /** Gaps of more than e^5 - 1 (about 147) typical gaps all encode as this. */
    public static final double MAX_GAP_INPUT = 5.0;

    /** The scaled value alone. */
    public static final InputEncoding VALUE_ONLY = new InputEncoding(false, false, false);

    static final long DAY_MILLIS = 86_400_000L;
    static final long WEEK_MILLIS = 7 * DAY_MILLIS;
    /** 1970-01-01 was a Thursday, three days after the Monday that starts its week. */
    private static final long EPOCH_DAYS_AFTER_MONDAY = 3;
    private static final double TWO_PI = 2.0 * Math.PI;

    private final boolean timeOfDay;
    private final boolean dayOfWeek;
    private final boolean gap;

    public InputEncoding(boolean timeOfDay, boolean dayOfWeek, boolean gap) {
        this.timeOfDay = timeOfDay;
        this.dayOfWeek = dayOfWeek;
        this.gap = gap;
    }

    /**
     * Parses a comma-separated list of input ids, case-insensitively and ignoring blanks around ids, e.g.
     * {@code "value,time-of-day,gap"}. {@code value} must be listed; the order is free.
     *
     * @throws IllegalArgumentException if the list is null or blank, or holds an empty, unknown or repeated id, or
     *     lacks {@code value}; the message names the valid ids
     */
    public static InputEncoding parse(String ids) {
        if (ids == null || ids.isBlank()) {
            throw new IllegalArgumentException("input list must not be empty; it must list '" + VALUE
                    + "' and optionally " + TIME_OF_DAY + ", " + DAY_OF_WEEK + ", " + GAP);
        }
        List<String> valid = List.of(VALUE, TIME_OF_DAY, DAY_OF_WEEK, GAP);
        boolean[] listed = new boolean[valid.size()];
        for (String raw : ids.split(",", -1)) {
            String id = raw.trim().toLowerCase(Locale.ROOT);
            if (id.isEmpty()) {
                throw new IllegalArgumentException("input list '" + ids + "' has an empty entry");
            }
            int index = valid.indexOf(id);
            if (index < 0) {
                throw new IllegalArgumentException("unknown input '" + raw.trim() + "' in '" + ids
                        + "'; valid inputs are: " + String.join(", ", valid));
            }
            if (listed[index]) {
                throw new IllegalArgumentException("input '" + id + "' is listed more than once in '" + ids + "'");
            }
            listed[index] = true;
        }
        if (!listed[0]) {
            throw new IllegalArgumentException("input list '" + ids + "' must include '" + VALUE + "'");
        }
        return new InputEncoding(listed[1], listed[2], listed[3]);
    }

    /** The ids in input order, starting with {@code value}; {@code parse(String.join(",", ids()))} is equal. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(4);
        ids.add(VALUE);
        if (timeOfDay) {
            ids.add(TIME_OF_DAY);
        }
        if (dayOfWeek) {
            ids.add(DAY_OF_WEEK);
        }
        if (gap) {
            ids.add(GAP);
        }
        return Collections.unmodifiableList(ids);
    }

    public boolean timeOfDay() {
        return timeOfDay;
    }

    public boolean dayOfWeek() {
        return dayOfWeek;
    }

    public boolean gap() {
        return gap;
    }

    /** Inputs per step: 1 for the value, plus 2 for time of day, 2 for day of week and 1 for the gap. */
    public int inputSize() {
        return 1 + (timeOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0) + (gap ? 1 : 0);
    }

    /**
     * Writes one step's input vector. Allocation-free.
     *
     * @param previousTimestampMillis the previous reading's timestamp, or {@link #NO_PREVIOUS}; read only when the
     *     gap input is enabled
     * @param typicalGapMillis the series' typical time between readings; read only when the gap input is enabled
     * @param out overwritten: {@code out[0 .. inputSize())}
     * @throws IllegalArgumentException if {@code out} is shorter than {@link #inputSize()}, or the gap input is
     *     enabled and {@code typicalGapMillis} is not positive and finite
     */
    public void encode(double scaledValue, long timestampMillis, long previousTimestampMillis,
                       double typicalGapMillis, double[] out) {
        if (out.length < inputSize()) {
            throw new IllegalArgumentException("out has length " + out.length + " but the encoding writes "
                    + inputSize() + " inputs");
        }
        int at = 0;
        out[at++] = scaledValue;
        if (timeOfDay) {
            double angle = TWO_PI * Math.floorMod(timestampMillis, DAY_MILLIS) / DAY_MILLIS;
            out[at++] = Math.sin(angle);
            out[at++] = Math.cos(angle);
        }
        if (dayOfWeek) {
            long sinceMonday = Math.floorMod(timestampMillis + EPOCH_DAYS_AFTER_MONDAY * DAY_MILLIS, WEEK_MILLIS);
            double angle = TWO_PI * sinceMonday / WEEK_MILLIS;
            out[at++] = Math.sin(angle);
            out[at++] = Math.cos(angle);
        }
        if (gap) {
            out[at] = gapInput(timestampMillis, previousTimestampMillis, typicalGapMillis);
        }
    }

    /**
     * The gap input alone: {@code log1p} of the gap in typical gaps, clipped to [0, {@link #MAX_GAP_INPUT}];
     * non-decreasing in the gap.
     *
     * @throws IllegalArgumentException if {@code typicalGapMillis} is not positive and finite
     */
    public static double gapInput(long timestampMillis, long previousTimestampMillis, double typicalGapMillis) {
        if (!(typicalGapMillis > 0) || !Double.isFinite(typicalGapMillis)) {
            throw new IllegalArgumentException("typicalGapMillis must be positive and finite but was "
                    + typicalGapMillis);
        }
        if (previousTimestampMillis == NO_PREVIOUS) {
            return Math.log(2.0);
        }
        // Subtracting as doubles cannot overflow; the precision lost on huge gaps is irrelevant once clipped.
        double ratio = ((double) timestampMillis - (double) previousTimestampMillis) / typicalGapMillis;
        return Math.min(MAX_GAP_INPUT, Math.log1p(Math.max(0.0, ratio)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InputEncoding that
                && timeOfDay == that.timeOfDay && dayOfWeek == that.dayOfWeek && gap == that.gap;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeOfDay, dayOfWeek, gap);
    }

    /** The ids joined by commas, parseable by {@link #parse}. */
    @Override
    public String toString() {
        return String.join(",", ids());
    }
}
