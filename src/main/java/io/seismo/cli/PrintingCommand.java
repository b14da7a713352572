package io.seismo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;

/** A command that prints its answer to the command line's output (a terminal, or a test's writer). */
abstract class PrintingCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return call(spec.commandLine().getOut());
    }

    /** Runs the command, printing to {@code out}; returns the exit code. */
    abstract Integer call(PrintWriter out) throws Exception;
}
