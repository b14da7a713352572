package io.seismo.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of {@code POST /api/feedback}, parsed and checked once: {@code series} (required), {@code timestamp} of the
 * alerted reading (an ISO-8601 instant or epoch milliseconds, required), {@code verdict} ({@code false_alarm} or
 * {@code confirmed}, any case) and an optional {@code note}. Anything else is a 400 naming the field.
 */
record FeedbackRequest(String series, Instant timestamp, boolean falseAlarm, String note) {
    /** Longest note kept, in characters. */
    static final int MAX_NOTE = 2000;

    static FeedbackRequest parse(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object: {\"series\": ..., \"timestamp\": ..., \"verdict\": "
                    + "\"false_alarm\" or \"confirmed\", \"note\": ...}");
        }
        JsonNode series = root.get("series");
        if (series == null || !series.isTextual() || series.asText().isEmpty()) {
            throw ApiException.badRequest("series is required: the id of the series whose alert this is");
        }
        return new FeedbackRequest(series.asText(), timestamp(root.get("timestamp")), falseAlarm(root.get("verdict")),
                note(root.get("note")));
    }

    /** The verdict as the Feedback schema spells it. */
    String verdict() {
        return falseAlarm ? "FALSE_ALARM" : "CONFIRMED";
    }

    private static Instant timestamp(JsonNode node) {
        String problem = "timestamp is required: the alerted reading's time, an ISO-8601 instant such as 2026-11-27T10:00:00Z"
                + " or epoch milliseconds";
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(problem);
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
                return Instant.ofEpochMilli(node.asLong());
            }
            if (node.isTextual()) {
                String s = node.asText().trim();
                return !s.isEmpty() && s.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(s)) : Instant.parse(s);
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // answered below
        }
        throw ApiException.badRequest(problem + ", got " + node);
    }

    private static boolean falseAlarm(JsonNode node) {
        String v = node != null && node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
        return switch (v) {
            case "false_alarm" -> true;
            case "confirmed" -> false;
            default -> throw ApiException.badRequest("verdict must be \"false_alarm\" or \"confirmed\", got " + node);
        };
    }

    private static String note(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("note must be a string, got " + node);
        }
        String note = node.asText();
        if (note.length() > MAX_NOTE) {
            throw ApiException.badRequest("note must be at most " + MAX_NOTE + " characters, got " + note.length());
        }
        return note.isEmpty() ? null : note;
    }
}
