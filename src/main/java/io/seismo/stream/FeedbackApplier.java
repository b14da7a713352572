package io.seismo.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesState;
import io.seismo.schema.Feedback;
import io.seismo.schema.FeedbackVerdict;
import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an operator's verdict on an alert does to its series: a false alarm multiplies the series' threshold
 * factor by {@code detect.feedback.raise} (up to {@code detect.feedback.max}), a confirmation divides it by the same
 * (down to 1), in the series' state in the store the detector reads. The feedback topic is keyed by series and
 * partitioned like the readings, so the series' state is in this task's store. One verdict is taken per episode, and
 * only for a time inside the series' latest anomaly episode: repeated posts cannot ratchet a threshold up to its cap.
 * Records that are not a Feedback keyed by its series, that name a series without state, or that the series' state
 * refuses are dead-lettered; nothing here stops the stream thread.
 */
public final class FeedbackApplier implements Processor<byte[], byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackApplier.class);

    private final SeismoTopology.Names names;
    private final PackedSeriesState codec;
    private final double raise;
    private final double max;
    private final int deadLetterMaxBytes;
    private final DetectorMetrics metrics;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> states;

    public FeedbackApplier(SeismoConfig config, SeismoTopology.Names names, DetectorMetrics metrics) {
        this.names = names;
        this.codec = new PackedSeriesState(DetectorSettings.from(config));
        this.raise = config.detect().feedbackRaise();
        this.max = config.detect().feedbackMax();
        this.deadLetterMaxBytes = config.input().deadLetterMaxBytes();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(names.stateStore());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] key = record.key();
        if (record.value() == null) {
            deadLetter(record, DeadLetterReason.NULL_VALUE, "feedback record has no value");
            return;
        }
        if (key == null || key.length == 0) {
            deadLetter(record, DeadLetterReason.NULL_KEY, "feedback record has no key; feedback must be keyed by series id");
            return;
        }
        Feedback feedback;
        try {
            feedback = SeismoSerdes.FEEDBACK.decode(record.value());
        } catch (SerializationException e) {
            boolean unknownSchema = e.getCause() instanceof MissingSchemaException;
            deadLetter(record, unknownSchema ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.UNDECODABLE, e.getMessage());
            return;
        }
        String series = feedback.getSeries();
        if (!Arrays.equals(key, series.getBytes(StandardCharsets.UTF_8))) {
            deadLetter(record, DeadLetterReason.KEY_MISMATCH, "key '" + ReadingValidator.abbreviate(new String(key, StandardCharsets.UTF_8))
                    + "' differs from series '" + ReadingValidator.abbreviate(series) + "'");
            return;
        }
        // Store access stays outside the try below: what it throws (a task migrated) must reach Kafka Streams.
        byte[] stored = states.get(series);
        if (stored == null) {
            deadLetter(record, DeadLetterReason.UNKNOWN_SERIES, "feedback for series '" + ReadingValidator.abbreviate(series)
                    + "', which has no state here");
            return;
        }
        SeriesState state;
        try {
            state = codec.decode(stored);
        } catch (RuntimeException e) {
            if (PoisonPolicy.mustPropagate(e)) {
                throw e;
            }
            LOG.error("the stored state of series '{}' cannot be decoded: {}", ReadingValidator.abbreviate(series), e.toString());
            deadLetter(record, DeadLetterReason.STATE_UNREADABLE, "the series' stored state (" + stored.length + " bytes) cannot be decoded: "
                    + e + "; the feedback is not applied (the detector discards the state and restarts the series with its next reading)");
            return;
        }
        byte[] updated;
        double factor;
        try {
            long at = feedback.getAnomalyTimestamp().toEpochMilli();
            if (!state.acceptsFeedback(at)) {
                boolean judged = state.episodes().readings() > 0 && state.feedbackEpisode() == state.episodes().start();
                deadLetter(record, DeadLetterReason.FEEDBACK_REFUSED, judged
                        ? "the episode of series '" + ReadingValidator.abbreviate(series) + "' that began at " + state.episodes().start()
                                + " already had a verdict"
                        : "no alert of series '" + ReadingValidator.abbreviate(series) + "' at " + at
                                + ": feedback must name a time inside the series' latest anomaly episode");
                return;
            }
            factor = state.applyFeedback(feedback.getVerdict() == FeedbackVerdict.FALSE_ALARM, raise, max);
            state.feedbackTaken();
            updated = codec.encode(state);
        } catch (RuntimeException e) {
            if (PoisonPolicy.mustPropagate(e)) {
                throw e;
            }
            LOG.error("applying feedback to series '{}' failed", ReadingValidator.abbreviate(series), e);
            deadLetter(record, DeadLetterReason.PROCESSING_ERROR, e.toString());
            return;
        }
        states.put(series, updated);
        LOG.info("series '{}': {} on the alert at {}; threshold factor now {}", ReadingValidator.abbreviate(series),
                feedback.getVerdict(), feedback.getAnomalyTimestamp(), factor);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetterReason reason, String detail) {
        metrics.deadLettered(reason);
        context.forward(DeadLetters.of(context, record.timestamp(), record.key(), record.value(), reason, detail, deadLetterMaxBytes),
                names.deadLetterSink());
    }
}
