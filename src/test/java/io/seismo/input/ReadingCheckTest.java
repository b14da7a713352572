package io.seismo.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.Reading;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

/** The checks the detector's topology and the trainer's history reader share, on decoded readings and raw bytes. */
class ReadingCheckTest {
    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final byte[] KEY = "sensor-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SOME_VALUE = {1, 2, 3};

    private static ReadingCheck check(Map<String, String> settings) {
        return new ReadingCheck(SeismoConfig.defaults().with(settings).input());
    }

    private static final ReadingCheck DEFAULTS = check(Map.of());

    /** A decoder that returns {@code reading} whatever the bytes. */
    private static ReadingCheck.Decoder decodesTo(String series, long timestamp, double value) {
        Reading reading = new Reading(series, Instant.ofEpochMilli(timestamp), value);
        return bytes -> reading;
    }

    private static ReadingCheck.Rejected rejected(ReadingCheck.Outcome outcome, ReadingFault fault) {
        ReadingCheck.Rejected r = assertInstanceOf(ReadingCheck.Rejected.class, outcome, () -> "refused as " + fault);
        assertEquals(fault, r.fault(), r::detail);
        return r;
    }

    @Test
    void shouldAcceptAFiniteReadingKeyedByItsSeries() {
        ReadingCheck.Outcome outcome = DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", NOW - HOUR, 42.5));
        Reading reading = assertInstanceOf(ReadingCheck.Accepted.class, outcome).reading();
        assertEquals("sensor-1", reading.getSeries());
        assertEquals(42.5, reading.getValue());
    }

    @Test
    void shouldRefuseWhatIsWrongWithTheRecordBeforeDecodingIt() {
        ReadingCheck.Decoder never = bytes -> {
            throw new AssertionError("decoded a record refused by its key or value alone");
        };
        assertEquals("record has no value", rejected(DEFAULTS.check(KEY, null, NOW, NOW, never), ReadingFault.NULL_VALUE).detail());
        assertEquals("record has no key; readings must be keyed by series id",
                rejected(DEFAULTS.check(null, SOME_VALUE, NOW, NOW, never), ReadingFault.NULL_KEY).detail());
        assertEquals("record has an empty key; readings must be keyed by series id",
                rejected(DEFAULTS.check(new byte[0], SOME_VALUE, NOW, NOW, never), ReadingFault.NULL_KEY).detail());
        ReadingCheck short8 = check(Map.of("input.max.key.bytes", "8"));
        assertEquals("key of 9 bytes is longer than input.max.key.bytes (8)",
                rejected(short8.check("sensor-10".getBytes(StandardCharsets.UTF_8), SOME_VALUE, NOW, NOW, never),
                        ReadingFault.KEY_TOO_LONG).detail());
    }

    @Test
    void shouldTellAnUnknownSchemaFromBytesThatAreNoReading() {
        ReadingCheck.Decoder missing = bytes -> {
            throw new ReadingCheck.NotAReading("unknown fingerprint", new MissingSchemaException("no schema"));
        };
        class RegistryHasNoSuchId extends RuntimeException implements ReadingCheck.UnknownSchema {
            private static final long serialVersionUID = 1L;
        }
        ReadingCheck.Decoder unknownId = bytes -> {
            throw new ReadingCheck.NotAReading("schema id 9 is not in the registry", new RegistryHasNoSuchId());
        };
        ReadingCheck.Decoder corrupt = bytes -> {
            throw new ReadingCheck.NotAReading("truncated", new java.io.EOFException());
        };
        assertEquals("unknown fingerprint", rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, missing), ReadingFault.UNKNOWN_SCHEMA).detail());
        rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, unknownId), ReadingFault.UNKNOWN_SCHEMA);
        assertEquals("truncated", rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, corrupt), ReadingFault.UNDECODABLE).detail());
    }

    @Test
    void shouldLetWhatIsNotTheRecordsFaultReachTheCaller() {
        IllegalStateException unreachable = new IllegalStateException("registry unreachable");
        ReadingCheck.Decoder failing = bytes -> {
            throw unreachable;
        };
        assertSame(unreachable, assertThrows(IllegalStateException.class, () -> DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, failing)));
    }

    @Test
    void shouldRefuseAReadingOfAnotherSeriesByteForByte() {
        assertEquals("key 'sensor-1' differs from series 'sensor-2'",
                rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-2", NOW, 1)), ReadingFault.KEY_MISMATCH).detail());
        byte[] notUtf8 = {'s', (byte) 0xff};
        rejected(DEFAULTS.check(notUtf8, SOME_VALUE, NOW, NOW, decodesTo(new String(notUtf8, StandardCharsets.UTF_8), NOW, 1)),
                ReadingFault.KEY_MISMATCH);
    }

    @Test
    void shouldRefuseValuesThatAreNotFiniteOrBeyondTheConfiguredMagnitude() {
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", NOW, v)), ReadingFault.NON_FINITE_VALUE);
        }
        ReadingCheck small = check(Map.of("input.max.abs.value", "1000"));
        assertInstanceOf(ReadingCheck.Accepted.class, small.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", NOW, -1000)));
        assertEquals("value -1000.5 is beyond input.max.abs.value (1000.0)",
                rejected(small.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", NOW, -1000.5)), ReadingFault.VALUE_OUT_OF_RANGE)
                        .detail());
    }

    @Test
    void shouldBoundTheFutureByTheEarlierOfTheRecordsTimestampAndTheClock() {
        ReadingCheck.Outcome aheadOfRecord = DEFAULTS.check(KEY, SOME_VALUE, NOW - 2 * HOUR, NOW, decodesTo("sensor-1", NOW, 1));
        assertEquals("timestamp " + NOW + " is 7200000 ms ahead of its record's timestamp (" + (NOW - 2 * HOUR)
                + "), more than input.max.future.ms (3600000)", rejected(aheadOfRecord, ReadingFault.TIMESTAMP_OUT_OF_RANGE).detail());
        ReadingCheck.Outcome aheadOfClock = DEFAULTS.check(KEY, SOME_VALUE, NOW + 5 * HOUR, NOW, decodesTo("sensor-1", NOW + 2 * HOUR, 1));
        assertEquals("timestamp " + (NOW + 2 * HOUR) + " is 7200000 ms ahead of the detector's clock (" + NOW
                + "), more than input.max.future.ms (3600000)", rejected(aheadOfClock, ReadingFault.TIMESTAMP_OUT_OF_RANGE).detail());
        assertInstanceOf(ReadingCheck.Accepted.class, DEFAULTS.check(KEY, SOME_VALUE, -1, NOW, decodesTo("sensor-1", NOW + HOUR, 1)),
                "a record without a timestamp is bounded by the clock alone");
        assertEquals("timestamp -1 is before 1970-01-01 (Kafka timestamps cannot be negative)",
                rejected(DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", -1, 1)), ReadingFault.TIMESTAMP_OUT_OF_RANGE)
                        .detail());
    }

    @Test
    void shouldBoundThePastByTheClockOnlyWhenConfigured() {
        long lastYear = NOW - 365 * 24 * HOUR;
        assertInstanceOf(ReadingCheck.Accepted.class, DEFAULTS.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", lastYear, 1)),
                "off by default");
        ReadingCheck day = check(Map.of("input.max.past.ms", Long.toString(24 * HOUR)));
        rejected(day.check(KEY, SOME_VALUE, NOW, NOW, decodesTo("sensor-1", lastYear, 1)), ReadingFault.TIMESTAMP_OUT_OF_RANGE);
        assertInstanceOf(ReadingCheck.Accepted.class, day.check(KEY, SOME_VALUE, lastYear, lastYear + HOUR,
                decodesTo("sensor-1", lastYear, 1)), "judged on the clock given");
    }
}
