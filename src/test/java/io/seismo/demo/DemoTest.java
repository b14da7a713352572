package io.seismo.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Severity;
import io.seismo.sim.InjectedAnomaly;
import io.seismo.sim.SimConfig;
import io.seismo.sim.Simulator;
import org.junit.jupiter.api.Test;

/** The demo's closing summary: episodes opened, at their start, against the labels judged by the end of the stream. */
class DemoTest {
    @Test
    void shouldScoreTheEpisodesOpenedAtTheirStartAgainstTheJudgedLabels() {
        Simulator simulator = new Simulator(SimConfig.defaults(4, 7));
        simulator.advance(3000);
        long step = simulator.config().stepMillis();
        long horizon = simulator.config().timestampOf(simulator.tick() - 1) - 10 * step;
        List<InjectedAnomaly> judged = simulator.injected().stream().filter(l -> l.start() <= horizon).toList();
        assertTrue(judged.size() >= 3, "enough labels to judge: " + simulator.injected());
        InjectedAnomaly first = judged.get(0);
        InjectedAnomaly second = judged.get(1);
        List<AnomalyEvent> opened = new ArrayList<>();
        // Reported a while later, but opened inside the first label: its start is what counts.
        opened.add(opened(first.series(), first.start(), first.end() + 60 * step));
        // Opened within the ten steps' tolerance after the second label's end.
        opened.add(opened(second.series(), second.end() + 10 * step, second.end() + 10 * step));
        // Opened before the stream's first reading: inside no label.
        long before = simulator.config().timestampOf(0) - 1000 * step;
        opened.add(opened(first.series(), before, before));

        StringWriter text = new StringWriter();
        Demo.summary(new PrintWriter(text), simulator, opened, 12_000, 3, 2, step);
        String out = text.toString();

        assertTrue(out.contains("  readings streamed     12,000"), out);
        assertTrue(out.contains("  dead letters          3"), out);
        assertTrue(out.contains("  model releases        2"), out);
        assertTrue(out.contains(String.format("  anomalies injected    %d, %d of them judged", simulator.injected().size(), judged.size())), out);
        assertTrue(out.contains("  episodes detected     3"), out);
        assertTrue(out.contains("detections: 2 true positive, 1 false positive, 0 ignored (tolerance " + 10 * step + " ms)"), out);
        assertTrue(out.contains(String.format("labels:     2 caught, %d missed", judged.size() - 2)), out);
    }

    private static AnomalyEvent opened(String series, long episodeStart, long reportedAt) {
        return AnomalyEvent.newBuilder().setSeries(series).setTimestamp(Instant.ofEpochMilli(reportedAt)).setObserved(1).setExpected(0)
                .setLower(-1).setUpper(1).setError(2).setScore(0.9).setThreshold(1).setSeverity(Severity.HIGH)
                .setKind(EpisodeEventKind.OPENED).setEpisodeStart(Instant.ofEpochMilli(episodeStart)).setEpisodeReadings(1)
                .setPeakScore(0.9).setModelVersion(1).setDetectorConfigId("test").build();
    }
}
