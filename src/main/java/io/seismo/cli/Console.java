package io.seismo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import io.seismo.score.FileScoring;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;

/** What the commands share on the console: progress bars on stderr, quiet service logs, temp folders. */
final class Console {
    private Console() {
    }

    /** A progress bar on the command's stderr, redrawn in place four times a second. */
    static ProgressBar bar(CommandLine.Model.CommandSpec spec, String name, long total, String unit, boolean speed) {
        PrintWriter err = spec.commandLine().getErr();
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, 100));
        if (unit != null) {
            builder.setUnit(unit, 1);
        }
        if (speed) {
            builder.showSpeed();
        }
        return builder.build();
    }

    /** Closes a bar (null is fine) and ends its line; returns null, for {@code bar = Console.close(spec, bar)}. */
    static ProgressBar close(CommandLine.Model.CommandSpec spec, ProgressBar bar) {
        if (bar != null) {
            bar.close();
            spec.commandLine().getErr().println();
            spec.commandLine().getErr().flush();
        }
        return null;
    }

    /** Commands that narrate themselves keep Seismo's service logs to warnings and errors. */
    static void quietServiceLogs() {
        org.apache.logging.log4j.core.config.Configurator.setLevel("io.seismo", org.apache.logging.log4j.Level.WARN);
        // Scoring runs keep their stores in a temporary folder on purpose; Kafka Streams warns of that for every run.
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka.streams.processor.internals.StateDirectory",
                org.apache.logging.log4j.Level.ERROR);
    }

    /** Deletes a temporary folder; best effort, a folder left behind is harmless. */
    static void deleteQuietly(Path dir) {
        FileScoring.deleteQuietly(dir);
    }
}
