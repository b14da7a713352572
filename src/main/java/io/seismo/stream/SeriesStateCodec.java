package io.seismo.stream;

import java.util.ArrayList;
import java.util.List;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.EpisodeState;
import io.seismo.detect.LikelihoodState;
import io.seismo.detect.ScalerState;
import io.seismo.detect.SeriesState;
import io.seismo.detect.SpotState;
import io.seismo.schema.ThresholdState;

/** Maps the detector's plain per-series state to the Avro record kept in the state store, and back. */
final class SeriesStateCodec {
    private final DetectorSettings settings;

    SeriesStateCodec(DetectorSettings settings) {
        this.settings = settings;
    }

    io.seismo.schema.SeriesState toAvro(SeriesState s) {
        ScalerState scaler = s.scaler();
        SpotState spot = s.spot();
        EpisodeState episode = s.episodes();
        LikelihoodState likelihood = s.likelihood();
        ThresholdState threshold = ThresholdState.newBuilder()
                .setObservations(spot.observations())
                .setCalibration(floats(spot.calibration()))
                .setInitialThreshold(spot.initialThreshold())
                .setPeaks(floats(spot.peaks()))
                .setPeakCount(spot.peakCount())
                .setPeakCursor(spot.peakCursor())
                .setPeakCutoffs(floats(spot.peakCutoffs()))
                .setGamma(spot.gamma())
                .setSigma(spot.sigma())
                .setThreshold(spot.threshold())
                .setDriftWindow(floats(spot.driftWindow()))
                .setDriftCursor(spot.driftCursor())
                .build();
        return io.seismo.schema.SeriesState.newBuilder()
                .setReadings(s.readings())
                .setLastTimestamp(s.lastTimestamp())
                .setLastValue(s.lastValue())
                .setTypicalGap(s.typicalGap())
                .setScalerCount(scaler.count())
                .setScalerMean(scaler.mean())
                .setScalerVar(scaler.variance())
                .setPrediction(s.expected())
                .setHasPrediction(s.hasPrediction())
                .setBaselineLevel(s.baselineLevel())
                .setModelVersion(s.modelVersion())
                .setRecurrent(doubles(s.recurrent()))
                .setRecentValues(doubles(s.recentValues()))
                .setSmoothedError(s.smoothedError())
                .setFallbackThreshold(s.fallbackThreshold())
                .setRepeatRun(s.repeatRun())
                .setLongestRepeatRun(s.longestRepeatRun())
                .setLastStuckRun(s.lastStuckRun())
                .setLastStuckValue(s.lastStuckValue())
                .setHabitValue(s.habitValue())
                .setHabitRun(s.habitRun())
                .setEpisodeAge(s.episodeAge())
                .setEpisodeHeld(s.heldEpisode())
                .setEpisodeOffset(s.episodeOffset())
                .setEpisodeOffsetReadings(s.offsetReadings())
                .setThreshold(threshold)
                .setEpisodeOpen(episode.open())
                .setEpisodeStart(episode.start())
                .setEpisodeReadings(episode.readings())
                .setEpisodePeakScore(episode.peakScore())
                .setEpisodeSeverity(episode.maxSeverity())
                .setNormalRun(episode.normalRun())
                .setLastScore(s.lastScore())
                .setLikelihoodErrors(floats(likelihood.recentErrors()))
                .setLikelihoodObservations(likelihood.observations())
                .setLikelihoodMean(likelihood.mean())
                .setLikelihoodVariance(likelihood.variance())
                .setValueLowest(likelihood.lowest())
                .setValueHighest(likelihood.highest())
                .setDailyErrors(floats(likelihood.recentDaily()))
                .setDailyObservations(likelihood.dailyObservations())
                .setDailyMean(likelihood.dailyMean())
                .setDailyVariance(likelihood.dailyVariance())
                .setDayBinMeans(floats(likelihood.binMeans()))
                .setDayBinVariances(floats(likelihood.binVariances()))
                .setDayBinCounts(ints(likelihood.binCounts()))
                .setThresholdFactor(s.thresholdFactor())
                .setFalseAlarms(s.falseAlarms())
                .setConfirmations(s.confirmations())
                .setLastArrival(s.lastArrival() == SeriesState.NOT_ARRIVED ? null : java.time.Instant.ofEpochMilli(s.lastArrival()))
                .setSilentSince(s.silent() ? java.time.Instant.ofEpochMilli(s.silentSince()) : null)
                .setFeedbackEpisode(s.feedbackEpisode() == SeriesState.NO_FEEDBACK ? null : java.time.Instant.ofEpochMilli(s.feedbackEpisode()))
                .build();
    }

    SeriesState fromAvro(io.seismo.schema.SeriesState a) {
        ThresholdState t = a.getThreshold();
        SpotState spot = new SpotState(t.getObservations(), floats(t.getCalibration()), t.getInitialThreshold(),
                floats(t.getPeaks()), t.getPeakCount(), t.getPeakCursor(), t.getGamma(), t.getSigma(), t.getThreshold(),
                floats(t.getDriftWindow()), t.getDriftCursor(), floats(t.getPeakCutoffs()));
        return SeriesState.restore(settings, a.getReadings(), a.getLastTimestamp(), a.getLastValue(), a.getTypicalGap(),
                new ScalerState(a.getScalerCount(), a.getScalerMean(), a.getScalerVar()), a.getPrediction(),
                a.getHasPrediction(), a.getBaselineLevel(), a.getModelVersion(), doubles(a.getRecurrent()),
                doubles(a.getRecentValues()), a.getSmoothedError(), a.getFallbackThreshold(), spot,
                new EpisodeState(a.getEpisodeOpen(), a.getEpisodeStart(), a.getEpisodeReadings(), a.getEpisodePeakScore(),
                        a.getEpisodeSeverity(), a.getNormalRun()))
                .withRepeats(a.getRepeatRun(), a.getLongestRepeatRun(), a.getLastStuckRun())
                .withHabit(a.getLastStuckValue(), a.getHabitValue(), a.getHabitRun())
                .withHold(a.getEpisodeAge(), a.getEpisodeHeld(), a.getEpisodeOffset(), a.getEpisodeOffsetReadings())
                .withLikelihood(a.getLikelihoodErrors().isEmpty() ? LikelihoodState.empty()
                        : new LikelihoodState(floats(a.getLikelihoodErrors()), a.getLikelihoodObservations(), a.getLikelihoodMean(),
                                a.getLikelihoodVariance(), a.getValueLowest(), a.getValueHighest(),
                                floats(a.getDailyErrors()), a.getDailyObservations(), a.getDailyMean(), a.getDailyVariance(),
                                floats(a.getDayBinMeans()), floats(a.getDayBinVariances()), bytes(a.getDayBinCounts())))
                .withLastScore(a.getLastScore())
                .withFeedback(a.getThresholdFactor(), a.getFalseAlarms(), a.getConfirmations())
                .withSilence(a.getLastArrival() == null ? SeriesState.NOT_ARRIVED : a.getLastArrival().toEpochMilli(),
                        a.getSilentSince() == null ? SeriesState.NOT_SILENT : a.getSilentSince().toEpochMilli(),
                        a.getFeedbackEpisode() == null ? SeriesState.NO_FEEDBACK : a.getFeedbackEpisode().toEpochMilli());
    }

    private static List<Float> floats(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static List<Integer> ints(byte[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (byte v : values) {
            out.add((int) v);
        }
        return out;
    }

    private static byte[] bytes(List<Integer> values) {
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (int) values.get(i);
        }
        return out;
    }

    private static List<Double> doubles(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static double[] doubles(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
