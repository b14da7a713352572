package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ParamsTest {
    @Test
    void shouldDefaultAndBoundTheLimit() {
        assertEquals(Params.DEFAULT_LIMIT, Params.limit(null));
        assertEquals(Params.DEFAULT_LIMIT, Params.limit(" "));
        assertEquals(1, Params.limit("1"));
        assertEquals(Params.MAX_LIMIT, Params.limit(" 1000 "));
    }

    @Test
    void shouldRefuseALimitOutOfRangeOrNotANumberWith400() {
        for (String bad : new String[] {"0", "-3", "1001", "ten", "1.5", "99999999999"}) {
            ApiException e = assertThrows(ApiException.class, () -> Params.limit(bad), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("limit must be an integer from 1 to 1000"), e.getMessage());
        }
    }

    @Test
    void shouldReadSinceAsAnInstantOrEpochMillis() {
        assertEquals(Instant.EPOCH, Params.since(null));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), Params.since("2026-11-27T10:00:00Z"));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), Params.since("1700000000000"));
        ApiException e = assertThrows(ApiException.class, () -> Params.since("yesterday"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    }

    @Test
    void shouldTreatAbsentOrEmptyCursorAndSeriesAsNone() {
        assertNull(Params.after(null));
        assertNull(Params.after(""));
        assertEquals("pump-04", Params.after("pump-04"));
        assertNull(Params.series(""));
        assertEquals("", Params.prefix(null));
        assertEquals("pump-", Params.prefix("pump-"));
    }

    @Test
    void shouldRefuseAQueryParameterLongerThanTheLimitWith400() {
        String longest = "p".repeat(Params.MAX_LENGTH);
        Params.checkLengths(Map.of("series", List.of(longest), "prefix", List.of("")));
        ApiException value = assertThrows(ApiException.class,
                () -> Params.checkLengths(Map.of("series", List.of("ok", longest + "p"))));
        assertEquals(400, value.status());
        assertEquals("series must be at most 1024 characters, got 1025", value.getMessage());
        ApiException name = assertThrows(ApiException.class, () -> Params.checkLengths(Map.of(longest + "x", List.of("1"))));
        assertEquals(400, name.status());
        assertTrue(name.getMessage().startsWith("a query parameter name is 1025 characters long"), name.getMessage());
    }
}
