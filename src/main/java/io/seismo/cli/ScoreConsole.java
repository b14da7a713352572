package io.seismo.cli;

import java.io.PrintWriter;
import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.score.Backfill;
import io.seismo.score.BackfillService;
import io.seismo.score.FileScoring;
import io.seismo.score.ScoreLines;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;

/** What {@code seismo score} shows while it runs: a progress bar of readings on stderr, {@link ScoreLines} on stdout, warnings. */
final class ScoreConsole extends ProgressConsole {
    ScoreConsole(CommandLine.Model.CommandSpec spec) {
        super(spec);
    }

    PrintWriter out() {
        return out;
    }

    /** A progress bar of {@code total} readings, in place of the one before. */
    ProgressBar progress(long total) {
        endProgress();
        bar = Console.bar(spec, "score", total, " readings", true);
        return bar;
    }

    /** After scoring files ({@code rows} in all, since {@code began}): the bar ends, a row per file follows. */
    void filesScored(List<FileScoring.FileResult> results, long rows, long began) {
        endProgress();
        ScoreLines.files(out, results, rows, began);
    }

    /** A line on stderr that does not fail the run. */
    void warn(String line) {
        spec.commandLine().getErr().println(line);
    }

    /** Hears a backfill of {@code request} begun at {@code began}: what it starts from on {@code cluster}, its progress, its table. */
    BackfillService.Listener backfill(BackfillService.Request request, SeismoConfig cluster, long began) {
        return new BackfillService.Listener() {
            @Override
            public void starting(String runId, ModelRelease initial) {
                ScoreLines.backfillStarting(out, request, cluster, runId, initial);
            }

            @Override
            public void planned(int partitions, long offsets) {
                progress(offsets);
            }

            @Override
            public void advanced(long judged, long total) {
                bar.stepTo(judged);
            }

            @Override
            public void scored(Backfill.Outcome outcome, ModelRelease initial) {
                if (bar != null) {
                    bar.maxHint(outcome.summary().readings());
                }
                endProgress();
                ScoreLines.backfill(out, outcome, initial, began);
            }

            @Override
            public void warning(String line) {
                warn(line);
            }
        };
    }
}
