package io.seismo.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters, parsed and checked once per request; a bad one is a 400 naming it. */
public final class Params {
    /** Page size when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest page a request may ask for. */
    public static final int MAX_LIMIT = 1000;

    private Params() {
    }

    /** {@code limit}: an integer from 1 to {@link #MAX_LIMIT}; absent means {@link #DEFAULT_LIMIT}. */
    public static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + raw + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    /** {@code since}: an ISO-8601 instant (2026-11-27T10:00:00Z) or epoch milliseconds; absent means the beginning. */
    public static Instant since(String raw) {
        if (raw == null || raw.isBlank()) {
            return Instant.EPOCH;
        }
        String s = raw.trim();
        try {
            return s.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(s)) : Instant.parse(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest("since must be an ISO-8601 instant such as 2026-11-27T10:00:00Z or epoch milliseconds,"
                    + " got '" + raw + "'");
        }
    }

    /** {@code prefix} of series ids; absent means every series. */
    public static String prefix(String raw) {
        return raw == null ? "" : raw;
    }

    /** {@code after}: the cursor, the last series id of the previous page; absent or empty for the first page. */
    public static String after(String raw) {
        return raw == null || raw.isEmpty() ? null : raw;
    }

    /** {@code series}: one series id to filter on; absent for all. */
    public static String series(String raw) {
        return raw == null || raw.isEmpty() ? null : raw;
    }
}
