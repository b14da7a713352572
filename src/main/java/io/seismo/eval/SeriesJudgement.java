package io.seismo.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.ScoredReading;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoringRun;

/**
 * The comparison of cells judged by history scoring's in-process run: one series at a time, the release in force from its
 * first reading, no retraining, in a namespace and state folder of its own.
 */
public final class SeriesJudgement implements CellComparison.Judgement {

    @Override
    public CellComparison.Judged judge(SeismoConfig config, ModelRelease release, LabelledSeries series) {
        Path state = ScoringRun.stateDirectory();
        try {
            SeismoConfig run = ScoringRun.isolated(config, "seismo-compare-" + UUID.randomUUID().toString().substring(0, 8) + "-", state, 1);
            ScoringRun.Result result = ScoringRun.run(run, List.of(new ScoringRun.SeriesInput(series.name(), series.timestamps(), series.values())),
                    new ScoringRun.Options(500, false, release, ScoringRun.Engine.IN_PROCESS), ScoringRun.Progress.NONE);
            double[] expected = new double[series.size()];
            Arrays.fill(expected, Double.NaN);
            List<ScoredReading> scored = result.scores().getOrDefault(series.name(), List.of());
            // Readings in input order against scores in event-time order: each score goes to the first reading of its time.
            int next = 0;
            for (int i = 0; i < series.size() && next < scored.size(); i++) {
                if (scored.get(next).getTimestamp().toEpochMilli() == series.timestamps()[i]) {
                    expected[i] = scored.get(next++).getExpected();
                }
            }
            List<Long> opened = new ArrayList<>();
            for (AnomalyEvent e : result.events()) {
                if (e.getKind() == EpisodeEventKind.OPENED) {
                    opened.add(e.getTimestamp().toEpochMilli());
                }
            }
            return new CellComparison.Judged(expected, opened);
        } finally {
            FileScoring.deleteQuietly(state);
        }
    }
}
