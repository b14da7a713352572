package io.seismo.cli;

import picocli.CommandLine.Option;

/** {@code seismo score}'s options for a backfill: the topic, the window of it to score and the release to start from. */
final class BackfillOptions {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Backfill: the topic of readings to score a window of.")
    String topic;

    @Option(names = "--from", paramLabel = "TIME", description = "Backfill: start of the window, included (as for seismo replay).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now", description = "Backfill: end of the window, excluded (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--series", paramLabel = "PATTERN", description = "Backfill: series to score (glob, or /regex/); default every series.")
    String series;

    @Option(names = "--fresh", description = "Backfill: start from the baseline forecaster instead of the release in force.")
    boolean fresh;
}
