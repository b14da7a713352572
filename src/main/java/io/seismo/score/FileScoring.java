package io.seismo.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.EpisodeEventKind;
import io.seismo.schema.ScoredReading;

/**
 * Scores CSV files, each series in a run of its own (its own namespace, state and model, retrained on its own data), up
 * to {@code parallel} runs at a time, and writes each result file in NAB's layout as its run ends. Results do not depend
 * on the parallelism or on the engine.
 */
public final class FileScoring {

    /**
     * What to score and how.
     *
     * @param parallel runs at a time
     */
    public record Request(List<SeriesCsv.Input> inputs, Path out, ScoringRun.Options options, int parallel) {
        public Request {
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
            }
        }
    }

    /** One file's outcome: its run's summary and its entry for the report. */
    public record FileResult(SeriesCsv.Input input, ScoringRun.Summary summary, ScoreReport.Entry entry) {
    }

    /** Creates a broker-driven run's topics before it starts and deletes them after it ends. */
    public interface RunTopics {
        RunTopics NONE = new RunTopics() {
            @Override
            public void create(SeismoConfig run) {
            }

            @Override
            public void delete(SeismoConfig run, String prefix) {
            }
        };

        void create(SeismoConfig run);

        void delete(SeismoConfig run, String prefix);
    }

    private FileScoring() {
    }

    /**
     * Scores every file; {@code judged} hears the readings judged so far over all runs (from any run's thread).
     *
     * @param base   the configuration, its bootstrap servers resolved for the broker engine
     * @param topics what a broker-driven run needs of its topics ({@link RunTopics#NONE} in process)
     */
    public static List<FileResult> run(SeismoConfig base, Request request, RunTopics topics, LongConsumer judged) {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        AtomicLong judgedSoFar = new AtomicLong();
        List<SeriesCsv.Input> inputs = request.inputs();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(request.parallel(), inputs.size())), r -> {
            Thread t = new Thread(r, "seismo-score");
            t.setDaemon(true);
            return t;
        });
        try {
            // Longest files first, so that the runs end together rather than one long file running alone at the end.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                order.add(i);
            }
            order.sort(java.util.Comparator.comparingInt((Integer i) -> inputs.get(i).rows()).reversed().thenComparing(i -> i));
            List<Future<FileResult>> futures = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), null));
            for (int i : order) {
                SeriesCsv.Input input = inputs.get(i);
                String prefix = "seismo-score-" + runId + "-" + i + "-";
                futures.set(i, pool.submit(() -> scoreOne(base, prefix, input, request, topics, judgedSoFar, judged)));
            }
            List<FileResult> out = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw new IllegalStateException("scoring " + inputs.get(i).file() + " failed: " + cause.getMessage(), cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static FileResult scoreOne(SeismoConfig base, String prefix, SeriesCsv.Input input, Request request, RunTopics topics,
                                       AtomicLong judgedSoFar, LongConsumer judged) {
        Path state = ScoringRun.stateDirectory();
        SeismoConfig cfg = ScoringRun.isolated(base, prefix, state, 1);
        try {
            topics.create(cfg);
            long[] last = {0};
            ScoringRun.Result result = ScoringRun.run(cfg, List.of(input.toSeriesInput()), request.options(), (n, total) -> {
                judged.accept(judgedSoFar.addAndGet(n - last[0]));
                last[0] = n;
            });
            List<ScoredReading> scored = result.scores().getOrDefault(input.series(), List.of());
            Path target = SeriesCsv.resultPath(request.out(), input);
            SeriesCsv.writeResult(target, input, scored);
            long episodes = result.events().stream().filter(e -> e.getKind() == EpisodeEventKind.OPENED).map(AnomalyEvent::getSeries)
                    .filter(input.series()::equals).count();
            ScoreReport.Entry entry = new ScoreReport.Entry(input.series(), request.out().resolve("charts").resolve(input.series() + ".png"),
                    target, input.rows(), scored.size(), scored.stream().filter(ScoredReading::getAnomalous).count(), episodes,
                    result.releases().size(), scored.stream().mapToDouble(ScoredReading::getScore).max().orElse(0));
            return new FileResult(input, result.summary(), entry);
        } finally {
            topics.delete(cfg, prefix);
            deleteQuietly(state);
        }
    }

    /** Deletes a temporary folder; best effort, a folder left behind is harmless. */
    public static void deleteQuietly(Path dir) {
        try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // a temporary directory left behind is not worth failing a finished run for
        }
    }
}
