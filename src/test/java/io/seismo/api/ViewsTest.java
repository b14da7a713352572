package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.ReleaseOrigin;
import io.seismo.schema.Severity;
import io.seismo.schema.TrainingInfo;
import io.seismo.stream.StoreQueries.SeriesSnapshot;
import org.junit.jupiter.api.Test;

/** The JSON bodies are plain records mapped field by field: ISO times, nulls for what is not defined yet. */
class ViewsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldMapASeriesStateWithItsBandAndOpenEpisode() throws Exception {
        SeriesSnapshot s = new SeriesSnapshot("pump-01", 240, 1_700_000_060_000L, 51.5, true, 50.0, 47.0, 53.0, 1.5, 1.2, 0.2, 0.4,
                true, 1_700_000_000_000L, 3, 1.25, 1, 0, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, false);
        Views.SeriesView v = Views.SeriesView.of(s, "127.0.0.1:8080");
        assertEquals("2023-11-14T22:14:20Z", v.lastUpdate());
        assertEquals(47.0, v.lower());
        assertEquals(53.0, v.upper());
        assertEquals("2023-11-14T22:13:20Z", v.episodeStart());
        JsonNode node = json.readTree(json.writeValueAsString(v));
        assertEquals("pump-01", node.get("series").asText());
        assertEquals(3, node.get("modelVersion").asLong());
        assertEquals("127.0.0.1:8080", node.get("servedBy").asText());
        assertTrue(node.get("inEpisode").asBoolean());
        assertEquals(1.25, node.get("thresholdFactor").asDouble(), "operators' feedback is visible");
        assertEquals(1.2, node.get("learnedThreshold").asDouble(), 1e-12);
        assertEquals(1.5, node.get("threshold").asDouble(), "the threshold in force");
        assertEquals(1, node.get("falseAlarms").asInt());
        assertEquals(0, node.get("confirmations").asInt());
    }

    @Test
    void shouldWriteNullsForABandNotLearnedYetAndNoEpisode() throws Exception {
        SeriesSnapshot s = new SeriesSnapshot("new", 3, 1_000L, 2.0, true, 2.0, Double.NaN, Double.NaN, 0, 0, 0, 0, false, 0, 0, 1, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, false);
        JsonNode node = json.readTree(json.writeValueAsString(Views.SeriesView.of(s, "h:1")));
        assertTrue(node.get("lower").isNull());
        assertTrue(node.get("upper").isNull());
        assertTrue(node.get("episodeStart").isNull());
        assertEquals(0.0, node.get("threshold").asDouble());
        SeriesSnapshot unseen = new SeriesSnapshot("x", 0, 0, Double.NaN, false, 0, Double.NaN, Double.NaN, 0, 0, 0, 0, false, 0, 0, 1, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, false);
        Views.SeriesView v = Views.SeriesView.of(unseen, "h:1");
        assertNull(v.lastUpdate());
        assertNull(v.expected(), "no prediction yet");
    }

    @Test
    void shouldCarryTheLatestEpisodeAndReadItBackAsTheSnapshotItWasMadeOf() throws Exception {
        SeriesSnapshot closed = new SeriesSnapshot("pump-02", 300, 1_700_000_600_000L, 48.0, true, 49.0, 46.0, 52.0, 1.5, 1.2, 0.2,
                0.3, false, 0, 2, 1.25, 1, 0, 1_700_000_660_000L, 1_700_000_300_000L, 1_700_000_420_000L, true);
        Views.SeriesView v = Views.SeriesView.of(closed, "h:1");
        assertEquals("2023-11-14T22:18:20Z", v.latestEpisodeStart());
        assertEquals("2023-11-14T22:20:20Z", v.latestEpisodeEnd());
        assertEquals("2023-11-14T22:24:20Z", v.silentSince());
        assertTrue(v.verdictTaken());
        Views.SeriesView read = json.readValue(json.writeValueAsString(v), Views.SeriesView.class);
        assertEquals(closed, read.snapshot(), "another instance's answer reads back as the owner's snapshot");

        SeriesSnapshot open = new SeriesSnapshot("pump-03", 10, 5_000L, 1.0, false, 0, Double.NaN, Double.NaN, 0, 0, 0, 0, true, 4_000L,
                0, 1, 0, 0, Long.MIN_VALUE, 4_000L, Long.MAX_VALUE, false);
        JsonNode node = json.readTree(json.writeValueAsString(Views.SeriesView.of(open, "h:1")));
        assertTrue(node.get("latestEpisodeEnd").isNull(), "an open episode has no end yet");
        assertTrue(node.get("silentSince").isNull(), "the series reports");
        SeriesSnapshot back = json.readValue(node.toString(), Views.SeriesView.class).snapshot();
        assertEquals(Long.MAX_VALUE, back.latestEpisodeEnd());
        assertTrue(back.acceptsFeedback(4_500L));
        assertFalse(back.silent());
        assertTrue(Double.isNaN(back.lower()));

        SeriesSnapshot never = new SeriesSnapshot("new", 3, 1_000L, 2.0, true, 2.0, Double.NaN, Double.NaN, 0, 0, 0, 0, false, 0, 0, 1,
                0, 0, Long.MIN_VALUE, SeriesSnapshot.NO_EPISODE, Long.MAX_VALUE, false);
        Views.SeriesView none = json.readValue(json.writeValueAsString(Views.SeriesView.of(never, "h:1")), Views.SeriesView.class);
        assertNull(none.latestEpisodeStart());
        assertEquals(SeriesSnapshot.NO_EPISODE, none.snapshot().latestEpisodeStart());
        assertFalse(none.snapshot().acceptsFeedback(1_000L));
    }

    @Test
    void shouldMapAnAnomalyEvent() {
        AnomalyEvent e = AnomalyEvent.newBuilder().setSeries("pump-03").setTimestamp(Instant.parse("2026-11-27T09:00:00Z"))
                .setObserved(130).setExpected(50).setLower(45).setUpper(55).setError(12).setScore(0.99).setThreshold(2.1)
                .setSeverity(Severity.CRITICAL).setKind(EpisodeEventKind.OPENED).setEpisodeStart(Instant.parse("2026-11-27T09:00:00Z"))
                .setEpisodeReadings(1).setPeakScore(0.99).setModelVersion(2).setDetectorConfigId("abc").build();
        Views.AnomalyView v = Views.AnomalyView.of(e);
        assertEquals("2026-11-27T09:00:00Z", v.timestamp());
        assertEquals("OPENED", v.kind());
        assertEquals("CRITICAL", v.severity());
        assertEquals(45.0, v.lower());
        assertEquals(2, v.modelVersion());
    }

    @Test
    void shouldMapAReleaseWithItsLineage() {
        TrainingInfo t = TrainingInfo.newBuilder().setSeries(6).setSamples(1200).setEpochs(20).setWindow(32).setTrainLoss(0.1)
                .setValidationLoss(0.12).setBaselineLoss(0.3).setPreviousValidationLoss(0.15).setSeed(42)
                .setFromTime(Instant.parse("2026-11-27T00:00:00Z")).setToTime(Instant.parse("2026-11-27T08:00:00Z"))
                .setDurationMillis(3400).setHyperParameters(Map.of()).build();
        ModelRelease r = ModelRelease.newBuilder().setModelName("default").setVersion(4).setParentVersion(3)
                .setCreatedAt(Instant.parse("2026-11-27T08:01:00Z")).setOrigin(ReleaseOrigin.ROLLBACK).setSourceVersion(2)
                .setCellType("lstm").setInputSize(5).setHiddenSize(32).setLayers(1).setInputs("value,time-of-day,day-of-week")
                .setWeights(ByteBuffer.wrap(new byte[] {1, 2})).setTraining(t).build();
        Views.ModelView v = Views.ModelView.of(r, true);
        assertEquals(4, v.version());
        assertEquals(3, v.parentVersion());
        assertEquals("ROLLBACK", v.origin());
        assertEquals(2, v.sourceVersion());
        assertEquals("2026-11-27T08:01:00Z", v.createdAt());
        assertTrue(v.inForce());
        assertEquals(0.12, v.training().validationLoss());
        assertEquals("2026-11-27T08:00:00Z", v.training().toTime());
        assertFalse(Views.ModelView.of(r, false).inForce());
    }
}
