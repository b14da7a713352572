package io.seismo.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.seismo.detect.SeriesState;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;
import io.seismo.stream.StoreQueries.SeriesSnapshot;

/**
 * The API's JSON bodies, as plain records: times are ISO-8601 strings, numbers that are not defined yet (a band
 * before the first threshold) are null.
 */
public final class Views {
    private Views() {
    }

    /**
     * {@code GET /api/series/{id}}: {@code threshold} is the one in force, the prediction error at which the series'
     * learned tail reaches the alarm level times {@code thresholdFactor}, the factor operators' feedback has set
     * ({@code falseAlarms} raise it, {@code confirmations} lower it back toward 1); {@code learnedThreshold} is that
     * error without the factor. {@code silentSince} is when the series' open SILENT episode began (null while it
     * reports). The latest anomaly episode, the one {@code POST /api/feedback} takes one verdict on, began at
     * {@code latestEpisodeStart} (null if none yet) and ended at {@code latestEpisodeEnd} (null while open);
     * {@code verdictTaken} says whether it has had its verdict.
     */
    public record SeriesView(String series, long readings, String lastUpdate, Double lastValue, Double expected, Double lower,
                             Double upper, double threshold, double score, double smoothedError, boolean inEpisode,
                             String episodeStart, long modelVersion, String servedBy, double learnedThreshold, double thresholdFactor,
                             int falseAlarms, int confirmations, String silentSince, String latestEpisodeStart,
                             String latestEpisodeEnd, boolean verdictTaken) {
        public static SeriesView of(SeriesSnapshot s, String servedBy) {
            boolean episode = s.latestEpisodeStart() != SeriesSnapshot.NO_EPISODE;
            return new SeriesView(s.series(), s.readings(), time(s.readings() > 0, s.lastTimestamp()), number(s.lastValue()),
                    s.hasPrediction() ? number(s.expected()) : null, number(s.lower()), number(s.upper()), s.threshold(), s.score(),
                    s.smoothedError(), s.inEpisode(), time(s.inEpisode(), s.episodeStart()), s.modelVersion(), servedBy,
                    s.learnedThreshold(), s.thresholdFactor(), s.falseAlarms(),
                    s.confirmations(), time(s.silent(), s.silentSince()), time(episode, s.latestEpisodeStart()),
                    time(episode && s.latestEpisodeEnd() != Long.MAX_VALUE, s.latestEpisodeEnd()), s.verdictTaken());
        }

        /**
         * The snapshot this view was made of, as far as the JSON carries it: how one instance reads another's answer
         * (numbers written as null come back as NaN, absent times as their "none" values).
         */
        public SeriesSnapshot snapshot() {
            long episodeStart = millis(latestEpisodeStart, SeriesSnapshot.NO_EPISODE);
            return new SeriesSnapshot(series, readings, millis(lastUpdate, 0), nan(lastValue), expected != null, nan(expected),
                    nan(lower), nan(upper), threshold, learnedThreshold, smoothedError, score, inEpisode, millis(this.episodeStart, 0),
                    modelVersion, thresholdFactor, falseAlarms, confirmations, millis(silentSince, SeriesState.NOT_SILENT),
                    episodeStart, millis(latestEpisodeEnd, Long.MAX_VALUE), verdictTaken);
        }
    }

    /**
     * {@code POST /api/feedback}'s answer (202): the verdict as queued on the feedback topic, where the detector applies it
     * to the series' threshold factor shortly after.
     */
    public record FeedbackAccepted(String series, String timestamp, String verdict, String note, String receivedAt, String topic,
                                   int partition, long offset) {
    }

    /** One entry of {@code GET /api/series}. */
    public record SeriesSummary(String series, long readings, String lastUpdate, Double lastValue, boolean inEpisode, long modelVersion) {
        public static SeriesSummary of(SeriesSnapshot s) {
            return new SeriesSummary(s.series(), s.readings(), time(s.readings() > 0, s.lastTimestamp()), number(s.lastValue()),
                    s.inEpisode(), s.modelVersion());
        }
    }

    /** {@code GET /api/series}: a page in id order; {@code next} is the cursor for {@code after=}, null on the last page. */
    public record SeriesPage(List<SeriesSummary> series, String next) {
    }

    /** One event of {@code GET /api/anomalies}. */
    public record AnomalyView(String series, String timestamp, String kind, String severity, double observed, double expected,
                              Double lower, Double upper, double score, double threshold, String episodeStart, int episodeReadings,
                              double peakScore, long modelVersion, String reason) {
        public static AnomalyView of(AnomalyEvent e) {
            return new AnomalyView(e.getSeries(), e.getTimestamp().toString(), e.getKind().name(), e.getSeverity().name(),
                    e.getObserved(), e.getExpected(), number(e.getLower()), number(e.getUpper()), e.getScore(), e.getThreshold(),
                    e.getEpisodeStart().toString(), e.getEpisodeReadings(), e.getPeakScore(), e.getModelVersion(),
                    e.getReason().name());
        }
    }

    /** {@code GET /api/anomalies}: newest first. */
    public record AnomalyList(List<AnomalyView> anomalies, int kept) {
    }

    /**
     * One judged reading on {@code GET /api/stream}: {@code t} in epoch milliseconds (what the chart plots), the band
     * and expected value in the series' units, error and threshold in scaled units, {@code transition} what happened to
     * the series' anomaly episode (NONE, OPENED, ESCALATED, CLOSED).
     */
    public record LivePoint(String series, long t, double value, Double expected, Double lower, Double upper, double error,
                            double threshold, double score, boolean anomalous, boolean inEpisode, String transition,
                            String reason) {
    }

    /** {@code GET /api/stream}'s first event: the points kept for the series, oldest first, and whether this instance owns it. */
    public record LiveHistory(String series, boolean local, List<LivePoint> points) {
    }

    /** One entry of {@code GET /api/anomalies/top}: a series by its anomaly events among those kept. */
    public record TroubledSeries(String series, int events, double peakScore, String lastEvent, String lastKind) {
    }

    /** {@code GET /api/anomalies/top}: series with the most events among the {@code kept} recent ones, most first. */
    public record TroubledList(List<TroubledSeries> series, int kept) {
    }

    /** How a release was trained. */
    public record TrainingView(int series, long samples, int epochs, double trainLoss, double validationLoss, double baselineLoss,
                               double previousValidationLoss, String fromTime, String toTime, long durationMillis) {
        static TrainingView of(TrainingInfo t) {
            return new TrainingView(t.getSeries(), t.getSamples(), t.getEpochs(), t.getTrainLoss(), t.getValidationLoss(),
                    t.getBaselineLoss(), t.getPreviousValidationLoss(), t.getFromTime().toString(), t.getToTime().toString(),
                    t.getDurationMillis());
        }
    }

    /** One release of {@code GET /api/models}, with its lineage (parent, and for a rollback the version it restores). */
    public record ModelView(String model, long version, long parentVersion, String origin, long sourceVersion, String createdAt,
                            String cell, int layers, int hiddenSize, String inputs, boolean inForce, TrainingView training) {
        public static ModelView of(ModelRelease r, boolean inForce) {
            return new ModelView(r.getModelName(), r.getVersion(), r.getParentVersion(), r.getOrigin().name(), r.getSourceVersion(),
                    r.getCreatedAt().toString(), r.getCellType(), r.getLayers(), r.getHiddenSize(), r.getInputs(), inForce,
                    TrainingView.of(r.getTraining()));
        }
    }

    /** {@code GET /api/models}: releases still on the models topic, oldest first. */
    public record ModelList(String model, Long versionInForce, List<ModelView> releases) {
    }

    /** {@code /readyz} and {@code /healthz}; fields that do not apply are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String status, String detector, String model, String reason) {
    }

    /** Any error: the HTTP status and one line. */
    public record Problem(int status, String error) {
    }

    static Double number(double d) {
        return Double.isFinite(d) ? d : null;
    }

    static String time(boolean defined, long epochMillis) {
        return defined ? Instant.ofEpochMilli(epochMillis).toString() : null;
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static long millis(String time, long none) {
        return time == null ? none : Instant.parse(time).toEpochMilli();
    }
}
