package io.seismo.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Query parameters, parsed and checked once per request; a bad one is a 400 naming it. */
public final class Params {
    /** Page size when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest page a request may ask for. */
    public static final int MAX_LIMIT = 1000;
    /** Longest query parameter name or value, in characters: far beyond any series id or time, far below memory trouble. */
    public static final int MAX_LENGTH = 1024;

    private Params() {
    }

    /** Refuses (400) a request any of whose query parameter names or values is longer than {@link #MAX_LENGTH}. */
    public static void checkLengths(Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            if (name.length() > MAX_LENGTH) {
                throw ApiException.badRequest("a query parameter name is " + name.length() + " characters long; at most "
                        + MAX_LENGTH + " are accepted");
            }
            for (String value : e.getValue()) {
                if (value != null && value.length() > MAX_LENGTH) {
                    throw ApiException.badRequest(name + " must be at most " + MAX_LENGTH + " characters, got " + value.length());
                }
            }
        }
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
