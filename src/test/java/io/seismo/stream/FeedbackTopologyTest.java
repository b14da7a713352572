package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.AnomalyLikelihood;
import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesState;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Feedback;
import io.seismo.schema.FeedbackVerdict;
import io.seismo.schema.Reading;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators' feedback through the topology: the feedback topic, the applier, the state store and the detector's decisions. */
class FeedbackTopologyTest {
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String SERIES = "sensor-1";

    @TempDir
    Path stateDir;

    private SeismoConfig config;
    private PackedSeriesState packed;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> readings;
    private TestInputTopic<String, byte[]> feedback;
    private TestOutputTopic<String, AnomalyEvent> anomalies;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private final Random random = new Random(5);
    private int next;

    @BeforeEach
    void startDriver() {
        config = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "model.hidden.size", "8", "model.inputs", "value"));
        packed = new PackedSeriesState(DetectorSettings.from(config));
        driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config));
        readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic("feedback", new StringSerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic("anomalies", new StringDeserializer(), SeismoSerdes.ANOMALY.deserializer());
        deadLetters = driver.createOutputTopic("deadletter", new ByteArrayDeserializer(), SeismoSerdes.DEAD_LETTER.deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void reading(double value) {
        long ts = START + next++ * STEP;
        readings.pipeInput(SERIES, SeismoSerdes.READING.encode(new Reading(SERIES, Instant.ofEpochMilli(ts), value)), ts);
    }

    private double normalValue() {
        return 100 + 10 * Math.sin(2 * Math.PI * next / 48) + 0.2 * random.nextGaussian();
    }

    private void normal(int count) {
        for (int i = 0; i < count; i++) {
            reading(normalValue());
        }
    }

    private SeriesState state() {
        byte[] bytes = driver.<String, byte[]>getKeyValueStore(SeismoTopology.Names.DEFAULT.stateStore()).get(SERIES);
        return bytes == null ? null : packed.decode(bytes);
    }

    /**
     * A spike whose error is {@code times} the given threshold (in scaled units), back to the normal curve in a gentle
     * ramp (so that only the spike itself can alert), then normal readings until its episode is over; returns the
     * episodes it opened.
     */
    private List<AnomalyEvent> spike(double times, double threshold) {
        SeriesState s = state();
        double spike = s.expected() + times * threshold * Math.sqrt(s.scaler().variance());
        reading(spike);
        int ramp = 20;
        for (int k = 1; k <= ramp; k++) {
            reading(spike + (normalValue() - spike) * k / ramp);
        }
        normal(30);
        return anomalies.readValuesToList().stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).toList();
    }

    private void verdict(String series, FeedbackVerdict verdict) {
        Feedback f = Feedback.newBuilder().setSeries(series).setAnomalyTimestamp(Instant.ofEpochMilli(START + (next - 51) * STEP))
                .setVerdict(verdict).setNote("checked on site").setReceivedAt(Instant.ofEpochMilli(START + next * STEP)).build();
        feedback.pipeInput(series, SeismoSerdes.FEEDBACK.encode(f));
    }

    @Test
    void shouldRaiseTheThresholdOfASeriesReportedAsAFalseAlarmAndLowerItAgainWhenConfirmed() {
        normal(1500);
        assertTrue(state().spot().calibrated(), "the threshold is learned");
        double learned = state().threshold();
        assertEquals(1, spike(1.1, learned).size(), "a spike just over the learned threshold alerts");

        verdict(SERIES, FeedbackVerdict.FALSE_ALARM);
        SeriesState after = state();
        assertEquals(1.25, after.thresholdFactor(), 1e-12, "detect.feedback.raise");
        assertEquals(1.25 * AnomalyLikelihood.RED, after.alarmLevel(), 1e-12, "the alarm needs a rarer error");
        assertEquals(1, after.falseAlarms());
        double raised = after.threshold();
        assertTrue(raised > 1.05 * learned,
                "the threshold in force rises: " + raised + " vs " + learned);
        assertEquals(List.of(), spike(1.01, learned), "a spike just over the learned threshold no longer alerts");
        List<AnomalyEvent> big = spike(1.2, raised);
        assertEquals(1, big.size(), "a spike over the raised threshold still alerts");
        assertEquals(state().threshold(), big.get(0).getThreshold(), 0.05 * raised, "the event carries the raised threshold");
        assertTrue(big.get(0).getThreshold() > 1.05 * learned, "the event carries the raised threshold: " + big.get(0).getThreshold());

        // A confirmation undoes one false alarm's raise (never below 1): the series alerts as before the feedback.
        verdict(SERIES, FeedbackVerdict.CONFIRMED);
        assertEquals(1.0, state().thresholdFactor(), 1e-12);
        assertEquals(1, state().confirmations());
        assertEquals(1, spike(1.1, state().threshold()).size(), "the confirmed series alerts at the learned threshold again");
        verdict(SERIES, FeedbackVerdict.CONFIRMED);
        assertEquals(1.0, state().thresholdFactor(), 0.0, "confirmations never make a series more sensitive than SPOT");
        assertEquals(2, state().confirmations());
        assertEquals(0, deadLetters.getQueueSize());
    }

    @Test
    void shouldTakeOneVerdictPerEpisodeAndCapTheFactorAtTheConfiguredMaximum() {
        normal(1500);
        // Ten posts on one alert: one verdict, nine refused.
        assertEquals(1, spike(3, state().threshold()).size());
        for (int i = 0; i < 10; i++) {
            verdict(SERIES, FeedbackVerdict.FALSE_ALARM);
        }
        assertEquals(1.25, state().thresholdFactor(), 1e-12, "one verdict per episode");
        assertEquals(1, state().falseAlarms());
        List<DeadLetter> refused = deadLetters.readValuesToList();
        assertEquals(9, refused.size());
        assertTrue(refused.stream().allMatch(d -> d.getReasonCode().equals("FEEDBACK_REFUSED")
                && d.getReason().contains("already had a verdict")), refused.get(0).getReason());
        // A false alarm per episode raises the factor up to detect.feedback.max and no further.
        for (int i = 0; i < 8; i++) {
            normal(300);
            assertEquals(1, spike(8 << i, state().threshold()).size(), "a spike far over the threshold in force alerts (" + i + ")");
            verdict(SERIES, FeedbackVerdict.FALSE_ALARM);
        }
        assertEquals(4.0, state().thresholdFactor(), 0.0, "detect.feedback.max");
        assertEquals(9, state().falseAlarms());
        assertEquals(0, deadLetters.getQueueSize());
        assertEquals(1500 + 9 * 51 + 8 * 300, state().readings(), "feedback is not a reading");
    }

    @Test
    void shouldRefuseFeedbackForATimeOutsideTheLatestEpisode() {
        normal(1500);
        verdict(SERIES, FeedbackVerdict.FALSE_ALARM);
        assertEquals(1, spike(3, state().threshold()).size());
        // Before the episode began: no alert of the series there.
        Feedback early = Feedback.newBuilder().setSeries(SERIES).setAnomalyTimestamp(Instant.ofEpochMilli(START + 10 * STEP))
                .setVerdict(FeedbackVerdict.FALSE_ALARM).setReceivedAt(Instant.ofEpochMilli(START + next * STEP)).build();
        feedback.pipeInput(SERIES, SeismoSerdes.FEEDBACK.encode(early));
        List<DeadLetter> refused = deadLetters.readValuesToList();
        assertEquals(List.of("FEEDBACK_REFUSED", "FEEDBACK_REFUSED"), refused.stream().map(DeadLetter::getReasonCode).toList(),
                "no episode yet, then a time before the latest episode");
        assertTrue(refused.get(1).getReason().contains("inside the series' latest anomaly episode"), refused.get(1).getReason());
        assertEquals(1.0, state().thresholdFactor(), 0.0, "nothing applied");
        verdict(SERIES, FeedbackVerdict.FALSE_ALARM);
        assertEquals(1.25, state().thresholdFactor(), 1e-12, "the alert itself takes a verdict");
    }

    @Test
    void shouldDeadLetterBadFeedbackAndKeepProcessing() {
        normal(100);
        feedback.pipeInput(SERIES, "not avro".getBytes(StandardCharsets.UTF_8));
        verdict("no-such-series", FeedbackVerdict.FALSE_ALARM);
        Feedback f = Feedback.newBuilder().setSeries("sensor-2").setAnomalyTimestamp(Instant.ofEpochMilli(START))
                .setVerdict(FeedbackVerdict.CONFIRMED).setReceivedAt(Instant.ofEpochMilli(START)).build();
        feedback.pipeInput(SERIES, SeismoSerdes.FEEDBACK.encode(f));
        feedback.pipeInput((String) null, SeismoSerdes.FEEDBACK.encode(f));

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertEquals(List.of("UNDECODABLE", "UNKNOWN_SERIES", "KEY_MISMATCH", "NULL_KEY"),
                letters.stream().map(DeadLetter::getReasonCode).toList());
        assertEquals("feedback", letters.get(0).getSourceTopic());
        assertNotNull(letters.get(0).getValue());
        assertEquals(1.0, state().thresholdFactor(), 0.0, "nothing applied");
        normal(10);
        assertEquals(110, state().readings(), "readings are still judged");
    }
}
