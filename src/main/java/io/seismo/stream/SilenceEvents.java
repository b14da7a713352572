package io.seismo.stream;

import java.time.Instant;

import io.seismo.detect.EpisodeState;
import io.seismo.detect.SeverityBand;
import io.seismo.detect.SeriesState;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.AnomalyReason;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.Severity;

/**
 * The events of a series' silence: its SILENT episode opening (found by the sweep, on the clock), closing (its next
 * reading), and an anomaly episode that silence closed. Observed is the last value the series reported; expected and
 * the band are what the detector expected next.
 */
final class SilenceEvents {
    private final String detectorConfigId;
    private final double after;

    SilenceEvents(String detectorConfigId, double after) {
        this.detectorConfigId = detectorConfigId;
        this.after = after;
    }

    /**
     * The SILENT episode opening at {@code now}, {@code idle} milliseconds after the last reading: its score grows with the silence on the log scale of every level, 0.5
     * at {@code detect.silence.after} typical gaps, and its severity with it.
     */
    AnomalyEvent opened(String series, SeriesState state, long now, long idle) {
        double ratio = state.silenceRatio(idle, after);
        double score = ratio / (ratio + 1);
        return base(series, state, now, score, SeverityBand.of(ratio), EpisodeEventKind.OPENED)
                .setEpisodeStart(Instant.ofEpochMilli(state.silentSince()))
                .setEpisodeReadings(state.missedReadings(idle))
                .setPeakScore(score)
                .build();
    }

    /**
     * The SILENT episode that began at {@code since} closing at {@code timestamp}, {@code idle} milliseconds after the
     * series' last reading: on the reading of {@code value} that ends it, or when the series expires (its last value).
     */
    AnomalyEvent closed(String series, SeriesState state, long since, long timestamp, long idle, double value) {
        double ratio = state.silenceRatio(idle, after);
        double score = ratio / (ratio + 1);
        return base(series, state, timestamp, score, SeverityBand.of(ratio), EpisodeEventKind.CLOSED)
                .setObserved(value)
                .setEpisodeStart(Instant.ofEpochMilli(since))
                .setEpisodeReadings(state.missedReadings(idle))
                .setPeakScore(score)
                .build();
    }

    /** The anomaly episode the series' silence closed at {@code now}: no reading will close it. */
    AnomalyEvent closedBySilence(String series, SeriesState state, long now) {
        EpisodeState e = state.episodes();
        return base(series, state, now, state.lastScore(), SeverityBand.ofOrdinal(e.maxSeverity()), EpisodeEventKind.CLOSED)
                .setEpisodeStart(Instant.ofEpochMilli(e.start()))
                .setEpisodeReadings(e.readings())
                .setPeakScore(e.peakScore())
                .build();
    }

    private AnomalyEvent.Builder base(String series, SeriesState s, long timestamp, double score, SeverityBand severity, EpisodeEventKind kind) {
        boolean banded = s.hasPrediction() && s.threshold() > 0;
        double band = banded ? s.bandHalfWidth() : Double.NaN;
        return AnomalyEvent.newBuilder()
                .setSeries(series)
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .setObserved(s.lastValue())
                .setExpected(s.expected())
                .setLower(s.expected() - band)
                .setUpper(s.expected() + band)
                .setError(s.smoothedError())
                .setScore(Math.min(score, Math.nextDown(1.0)))
                .setThreshold(s.threshold())
                .setSeverity(Severity.valueOf(severity.name()))
                .setKind(kind)
                .setModelVersion(s.modelVersion())
                .setReason(AnomalyReason.SILENT)
                .setDetectorConfigId(detectorConfigId);
    }
}
