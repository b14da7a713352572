package io.seismo.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.AnomalyReason;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events on the anomalies topic are the scored output's episode rows: one judgement behind both. */
class EpisodeEventsTopologyTest {
    private static final long STEP = 60_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    /** Three series, each with a spike, a dip and a frozen spell laid over a noisy wave. */
    private static void pipe(TestInputTopic<String, byte[]> readings) {
        Random noise = new Random(41);
        for (int i = 0; i < 2500; i++) {
            long ts = START + i * STEP;
            for (int k = 0; k < 3; k++) {
                String series = "sensor-" + k;
                double x = 100 * (k + 1) + 10 * Math.sin(2 * Math.PI * i / (48 + 12 * k)) + 0.3 * noise.nextGaussian();
                int at = 1200 + 150 * k;
                if (i == at) {
                    x += 25;
                } else if (i == at + 300) {
                    x -= 20;
                } else if (i >= at + 600 && i < at + 660) {
                    x = 100 * (k + 1);
                }
                readings.pipeInput(series, SeismoSerdes.READING.encode(new Reading(series, Instant.ofEpochMilli(ts), x)), ts);
            }
        }
    }

    @Test
    void shouldEmitExactlyTheEpisodeEventsTheScoredOutputRecords() {
        SeismoConfig config = SeismoConfig.defaults().with(Map.of("bootstrap.servers", "localhost:9", "state.dir", stateDir.toString(),
                "model.hidden.size", "8", "model.inputs", "value", "topic.scores", "scores"));
        try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config), DetectorApp.streamsProperties(config))) {
            TestInputTopic<String, byte[]> readings = driver.createInputTopic("readings", new StringSerializer(), new ByteArraySerializer());
            var anomalies = driver.createOutputTopic("anomalies", new StringDeserializer(), SeismoSerdes.ANOMALY.deserializer());
            var scores = driver.createOutputTopic("scores", new StringDeserializer(), SeismoSerdes.SCORED.deserializer());
            pipe(readings);
            List<AnomalyEvent> events = anomalies.readValuesToList();
            List<ScoredReading> scored = scores.readValuesToList();
            assertEquals(3 * 2500, scored.size(), "every reading is scored once");

            List<String> fromEvents = events.stream().map(e -> e.getSeries() + "@" + e.getTimestamp().toEpochMilli() + " " + e.getKind()
                    + " " + e.getReason() + " " + e.getScore()).toList();
            List<String> fromRows = scored.stream().filter(r -> r.getEvent() != null).map(r -> r.getSeries() + "@"
                    + r.getTimestamp().toEpochMilli() + " " + r.getEvent() + " " + r.getReason() + " " + r.getScore()).toList();
            assertEquals(fromRows, fromEvents);

            long opened = events.stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).count();
            assertTrue(opened >= 9, opened + " episodes opened: each series' spike, dip and frozen spell");
            for (ScoredReading r : scored) {
                assertEquals(r.getScore() >= 0.5, r.getAnomalous(), "alert exactly at a score of 0.5: " + r);
                assertEquals(r.getAnomalous(), r.getReason() != AnomalyReason.NONE, "a reason exactly for an alert: " + r);
            }
            for (AnomalyEvent e : events) {
                if (e.getKind() != EpisodeEventKind.CLOSED) {
                    assertTrue(e.getScore() >= 0.5 && e.getReason() != AnomalyReason.NONE, "an opening or escalation is an alert: " + e);
                }
            }
            assertTrue(events.stream().anyMatch(e -> e.getReason() == AnomalyReason.STUCK_SENSOR), "the frozen spells are stuck sensors");
        }
    }
}
