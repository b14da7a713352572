package io.seismo.cli;

import java.io.PrintWriter;

import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;

/** What a long-running command shows: one progress bar at a time on stderr, lines on stdout; closing ends the bar's line. */
abstract class ProgressConsole implements AutoCloseable {
    final CommandLine.Model.CommandSpec spec;
    final PrintWriter out;
    ProgressBar bar;

    ProgressConsole(CommandLine.Model.CommandSpec spec) {
        this.spec = spec;
        this.out = spec.commandLine().getOut();
    }

    /** A line on stdout, at once. */
    void println(String line) {
        out.println(line);
        out.flush();
    }

    /** Closes the progress bar, if there is one, and ends its line. */
    void endProgress() {
        bar = Console.close(spec, bar);
    }

    @Override
    public void close() {
        endProgress();
    }
}
