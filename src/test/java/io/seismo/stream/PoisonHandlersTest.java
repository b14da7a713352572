package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.DeadLetter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The error handlers' decisions, one case each, and the cap on stream-thread replacements. */
class PoisonHandlersTest {
    private static final byte[] KEY = "sensor-1".getBytes(StandardCharsets.UTF_8);
    private static final long FUTURE = System.currentTimeMillis() + 3_600_000L;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    private static SeismoConfig config(String guarantee) {
        return SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9", "processing.guarantee", guarantee));
    }

    private static PoisonPolicy policy(String guarantee) {
        return new PoisonPolicy(config(guarantee), null, DetectorMetrics.NONE);
    }

    private static DeadLetterProductionHandler production(PoisonPolicy policy) {
        DeadLetterProductionHandler h = new DeadLetterProductionHandler();
        h.configure(Map.of(PoisonPolicy.CONFIG_KEY, policy));
        return h;
    }

    private static DeadLetterProcessingHandler processing(PoisonPolicy policy) {
        DeadLetterProcessingHandler h = new DeadLetterProcessingHandler();
        h.configure(Map.of(PoisonPolicy.CONFIG_KEY, policy));
        return h;
    }

    /** The context of the input at readings/0@7, produced at {@code timestamp}, with its raw bytes. */
    private static ErrorHandlerContext context(long timestamp) {
        return new ErrorHandlerContext() {
            public String topic() {
                return "readings";
            }

            public int partition() {
                return 0;
            }

            public long offset() {
                return 7;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return "detect-anomalies";
            }

            public TaskId taskId() {
                return new TaskId(0, 0);
            }

            public long timestamp() {
                return timestamp;
            }

            public byte[] sourceRawKey() {
                return KEY;
            }

            public byte[] sourceRawValue() {
                return new byte[] {1, 2, 3};
            }
        };
    }

    private static DeadLetter decode(ProducerRecord<byte[], byte[]> r) {
        return SeismoSerdes.DEAD_LETTER.decode(r.value());
    }

    @Test
    void shouldDeadLetterAnOutputStampedBeyondTheTopicsBoundWithTheClocksTimeUnderAtLeastOnce() {
        PoisonPolicy policy = policy("at_least_once");
        ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("scores", null, FUTURE, KEY, new byte[] {9, 9});
        ProductionExceptionHandler.Response r = production(policy).handleError(context(FUTURE), refused,
                new InvalidTimestampException("Timestamp out of range"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dl = r.deadLetterQueueRecords().get(0);
        assertEquals("deadletter", dl.topic());
        assertTrue(dl.timestamp() <= System.currentTimeMillis(), "clamped to the clock");
        DeadLetter letter = decode(dl);
        assertEquals("OUTPUT_REFUSED", letter.getReasonCode());
        assertEquals(7, letter.getSourceOffset());
        assertTrue(letter.getReason().contains("InvalidTimestampException") && letter.getReason().contains("scores"), letter.getReason());
    }

    @Test
    void shouldReduceARefusedDeadLetterAndDropItWhenEvenThatIsRefusedUnderAtLeastOnce() {
        PoisonPolicy policy = policy("at_least_once");
        DeadLetterProductionHandler handler = production(policy);
        Headers headers = new RecordHeaders();
        headers.add(DeadLetters.REASON_HEADER, "UNDECODABLE: not avro".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.SOURCE_HEADER, "readings/3@42".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> big = new ProducerRecord<>("deadletter", null, 5L, KEY, new byte[100_000], headers);
        ProductionExceptionHandler.Response r = handler.handleError(context(5), big, new RecordTooLargeException("too large"));
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> reduced = r.deadLetterQueueRecords().get(0);
        DeadLetter letter = decode(reduced);
        assertEquals("OUTPUT_REFUSED", letter.getReasonCode());
        assertEquals("readings", letter.getSourceTopic());
        assertEquals(3, letter.getSourcePartition());
        assertEquals(42, letter.getSourceOffset(), "the source is the refused letter's, not the record being processed");
        assertNull(letter.getValue());
        assertNull(reduced.key());
        assertTrue(letter.getReason().contains("UNDECODABLE: not avro"), letter.getReason());
        assertNotNull(reduced.headers().lastHeader(DeadLetters.REDUCED_HEADER));

        ProductionExceptionHandler.Response again = handler.handleError(context(5), reduced, new RecordTooLargeException("still"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, again.result());
        assertTrue(again.deadLetterQueueRecords().isEmpty());
        assertEquals(1, policy.refused().droppedCount());
    }

    @Test
    void shouldOnlyRememberTheInputUnderExactlyOnceForTheTransactionIsAborted() {
        PoisonPolicy policy = policy("exactly_once_v2");
        ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("training", null, FUTURE, KEY, new byte[] {1});
        ProductionExceptionHandler.Response r = production(policy).handleError(context(FUTURE), refused,
                new InvalidTimestampException("Timestamp out of range"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, r.result());
        assertTrue(r.deadLetterQueueRecords().isEmpty(), "nothing more can be sent in a doomed transaction");
        assertNotNull(policy.refused().forReading("sensor-1", FUTURE));

        Headers headers = new RecordHeaders();
        headers.add(DeadLetters.SOURCE_HEADER, "readings/0@9".getBytes(StandardCharsets.UTF_8));
        production(policy).handleError(context(1), new ProducerRecord<>("deadletter", null, 1L, KEY, new byte[1], headers),
                new RecordTooLargeException("too large"));
        assertEquals(1, policy.refused().forSource("readings", 0, 9).times());
    }

    @Test
    void shouldLeaveToKafkaStreamsWhatIsNotTheRecordsFault() {
        DeadLetterProductionHandler handler = production(policy("exactly_once_v2"));
        ProducerRecord<byte[], byte[]> any = new ProducerRecord<>("scores", null, 1L, KEY, new byte[1]);
        assertEquals(ProductionExceptionHandler.Result.FAIL, handler.handleError(context(1), any, new ProducerFencedException("fenced")).result());
        assertEquals(ProductionExceptionHandler.Result.RETRY, handler.handleError(context(1), any, new NotEnoughReplicasException("isr")).result());
        assertNull(policy("exactly_once_v2").refused().forReading("sensor-1", 1L));
    }

    @Test
    void shouldDeadLetterTheInputWhenAProcessorThrowsAndFailOnWhatKafkaStreamsMustSee() {
        PoisonPolicy policy = policy("exactly_once_v2");
        DeadLetterProcessingHandler handler = processing(policy);
        Record<String, String> record = new Record<>("sensor-1", "x", FUTURE);
        ProcessingExceptionHandler.Response r = handler.handleError(context(FUTURE), record, new IllegalStateException("bug"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dl = r.deadLetterQueueRecords().get(0);
        DeadLetter letter = decode(dl);
        assertEquals("PROCESSING_ERROR", letter.getReasonCode());
        assertEquals(7, letter.getSourceOffset());
        assertEquals(FUTURE, letter.getSourceTimestamp().toEpochMilli());
        assertTrue(dl.timestamp() <= System.currentTimeMillis());
        assertEquals(3, DeadLetters.bytes(letter.getValue()).length, "the input's raw bytes");
        assertTrue(letter.getReason().contains("detect-anomalies") && letter.getReason().contains("bug"), letter.getReason());

        assertEquals(ProcessingExceptionHandler.Result.FAIL,
                handler.handleError(context(1), record, new InvalidStateStoreException("store closed")).result());
        assertEquals(ProcessingExceptionHandler.Result.FAIL,
                handler.handleError(context(1), record, new TaskMigratedException("migrated")).result());
        assertEquals(ProcessingExceptionHandler.Result.FAIL,
                handler.handleError(context(1), record, new RuntimeException(new ProducerFencedException("fenced"))).result());
        assertTrue(PoisonPolicy.mustPropagate(new RegistrySerde.RegistryUnavailableException("down", null)));
        assertFalse(PoisonPolicy.mustPropagate(new IllegalArgumentException("unknown packed series state version 99")));
    }

    @Test
    void shouldFailWithoutAPolicyRatherThanGuess() {
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(Map.of());
        assertEquals(ProductionExceptionHandler.Result.FAIL, handler.handleError(context(1),
                new ProducerRecord<>("scores", null, 1L, KEY, new byte[1]), new RecordTooLargeException("x")).result());
    }

    @Test
    void shouldReplaceAFailedThreadUpToTheCapThenShutDownAndTellTheListener() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9",
                "stream.thread.replacements.max", "2", "state.dir", tmp.toString()));
        AtomicReference<RuntimeException> fatal = new AtomicReference<>();
        try (DetectorApp app = new DetectorApp(config)) {
            app.onFatalFailure(fatal::set);
            IllegalStateException boom = new IllegalStateException("boom");
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, app.onUncaught(boom));
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, app.onUncaught(boom));
            assertEquals(2, app.threadReplacements());
            assertFalse(app.replacementsExhausted());
            assertNull(fatal.get());
            assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, app.onUncaught(boom));
            assertTrue(app.replacementsExhausted());
            assertEquals(2, app.threadReplacements());
            assertNotNull(fatal.get());
            assertSame(boom, fatal.get().getCause());
            assertTrue(fatal.get().getMessage().contains("stream.thread.replacements.max=2"), fatal.get().getMessage());
        }
    }

    @Test
    void shouldNotCountAThreadFailedByARefusedOutputAgainstTheCap() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9",
                "stream.thread.replacements.max", "0", "state.dir", tmp.toString()));
        try (DetectorApp app = new DetectorApp(config)) {
            RuntimeException doomed = new org.apache.kafka.streams.errors.StreamsException("Error encountered trying to commit a transaction",
                    new org.apache.kafka.common.KafkaException("Cannot execute transactional method because we are in an error state",
                            new RecordTooLargeException("too large")));
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, app.onUncaught(doomed));
            assertEquals(0, app.threadReplacements());
            assertFalse(app.replacementsExhausted());
        }
    }

    @Test
    void shouldShutDownAtOnceWhenNoReplacementIsAllowed() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9",
                "stream.thread.replacements.max", "0", "state.dir", tmp.toString()));
        try (DetectorApp app = new DetectorApp(config)) {
            assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, app.onUncaught(new IllegalStateException("boom")));
            assertTrue(app.replacementsExhausted());
            assertEquals(0, app.threadReplacements());
        }
    }
}
