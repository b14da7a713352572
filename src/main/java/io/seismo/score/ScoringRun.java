package io.seismo.score;

import static io.seismo.config.ConfigDef.APPLICATION_ID;
import static io.seismo.config.ConfigDef.BOOTSTRAP_SERVERS;
import static io.seismo.config.ConfigDef.COMMIT_INTERVAL_MS;
import static io.seismo.config.ConfigDef.DETECT_SILENCE_CLOCK;
import static io.seismo.config.ConfigDef.SERDE_FORMAT;
import static io.seismo.config.ConfigDef.STATE_DIR;
import static io.seismo.config.ConfigDef.TOPIC_PARTITIONS;
import static io.seismo.config.ConfigDef.TOPIC_SCORES;
import static io.seismo.config.ConfigDef.TRAIN_CLOCK;
import static io.seismo.config.ConfigDef.TRAIN_COLD_START_HISTORY_MS;
import static io.seismo.config.ConfigDef.TRAIN_GROUP_ID;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.seismo.config.Overrides;
import io.seismo.config.SeismoConfig;
import io.seismo.config.SerdeFormat;
import io.seismo.config.SilenceClock;
import io.seismo.config.TrainClock;
import io.seismo.nn.Network;
import io.seismo.release.ModelReleases;
import io.seismo.schema.AnomalyEvent;
import io.seismo.schema.DeadLetter;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.Reading;
import io.seismo.schema.ScoredReading;
import io.seismo.stream.DetectorOutputs;
import io.seismo.stream.SeismoSerdes;
import io.seismo.train.ModelTrainer;
import io.seismo.train.Retrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs readings through the production topology in event time, with retraining, so that the same input gives the same
 * releases and the same scores on every run, whichever engine drives it.
 *
 * <p>The run owns its namespace: its own application id, state directory and topics (all named with one prefix), so
 * production state and alerts are untouched. Readings are judged in the order given (event-time order), in batches of a
 * fixed number. After each batch the run hands the readings the detector judged normal to the trainer (sorted, so their
 * order does not depend on how partitions interleave), and when a retraining is due on the event clock, trains, and
 * publishes the release, which is in force from the first reading of the next batch. So a release is in force from the
 * same reading on in every run: the batch boundary replaces the wall clock.
 *
 * <p>Two engines drive the same topology: {@link Engine#IN_PROCESS} pipes each reading through it in this thread
 * (Kafka Streams' own {@code TopologyTestDriver}, with the real RocksDB stores), {@link Engine#BROKER} runs it as a Kafka
 * Streams application on a broker, as {@code seismo run} does. Both give the same scores and the same releases.
 */
public final class ScoringRun {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringRun.class);

    /** Who carries the readings to the topology. */
    public enum Engine {
        /** The topology in this thread, without a broker: the judgement at the speed of the maths. */
        IN_PROCESS,
        /** The topology as a Kafka Streams application on the run's topics, as it runs live. */
        BROKER;

        /** The option value: {@code in-process} or {@code broker}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Engine of(String label) {
            for (Engine e : values()) {
                if (e.label().equals(label)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown engine '" + label + "' (in-process or broker)");
        }
    }

    /** One record of input: the key and event time it has on the readings topic and its encoded value. */
    public record Input(String key, long timestamp, byte[] value) {
        public static Input of(Reading r) {
            return new Input(r.getSeries(), r.getTimestamp().toEpochMilli(), SeismoSerdes.READING.encode(r));
        }
    }

    /** One series to score: its id and its readings, in any order. */
    public record SeriesInput(String series, long[] timestamps, double[] values) {
        public SeriesInput {
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException(timestamps.length + " timestamps but " + values.length + " values");
            }
        }
    }

    /**
     * How to run.
     *
     * @param batch          readings judged between two retraining checks (a release is in force at most this many readings late)
     * @param retrain        whether the trainer retrains on event time during the run
     * @param initialRelease a release in force from the first reading (e.g. production's), or null to start from the baseline
     * @param engine         who drives the topology
     */
    public record Options(int batch, boolean retrain, ModelRelease initialRelease, Engine engine) {
        public Options {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            }
        }

        public Options(int batch, boolean retrain, ModelRelease initialRelease) {
            this(batch, retrain, initialRelease, Engine.IN_PROCESS);
        }
    }

    /** Hears how far the run is. */
    public interface Progress {
        void advanced(long judged, long total);

        default void released(ModelRelease release) {
        }

        default void refused(String reason) {
        }

        Progress NONE = (judged, total) -> { };
    }

    /** Receives the run's output as it is produced: per series, scored readings in event-time order. */
    public interface Sink {
        void scored(ScoredReading reading);

        default void event(AnomalyEvent event) {
        }

        default void deadLetter(DeadLetter deadLetter) {
        }
    }

    /**
     * What a run did.
     *
     * @param judging  time spent judging (driving the topology, reading its output)
     * @param training time spent training candidates (gated or not)
     */
    public record Summary(long readings, long scored, long deadLetters, List<ModelRelease> releases, int refusals, Duration elapsed,
                          Duration judging, Duration training) {
    }

    /** What a run produced, kept in memory: per series, the scored readings in event-time order; the events, releases and dead letters. */
    public record Result(Map<String, List<ScoredReading>> scores, List<AnomalyEvent> events, List<ModelRelease> releases,
                         long readings, long deadLetters, int refusals, Duration elapsed, Summary summary) {
    }

    private ScoringRun() {
    }

    /**
     * The configuration of a run: the base configuration with its own application id, state directory and topics
     * (prefixed {@code prefix}), a scores topic, the event clock and a short commit interval. The base's bootstrap
     * servers may still be 'embedded' for an in-process run, which needs no broker.
     */
    public static SeismoConfig isolated(SeismoConfig base, String prefix, Path stateDir, int partitions) {
        Overrides run = Overrides.of(APPLICATION_ID, prefix + "app")
                .and(STATE_DIR, stateDir.toString())
                .and(Overrides.prefixedTopics(prefix))
                .and(TOPIC_SCORES, prefix + "scores")
                .and(TOPIC_PARTITIONS, partitions)
                .and(TRAIN_GROUP_ID, prefix + "trainer")
                .and(TRAIN_CLOCK, TrainClock.EVENT)
                // Replayed readings carry old timestamps: silence and expiry count in the stream's own time.
                .and(DETECT_SILENCE_CLOCK, SilenceClock.STREAM)
                .and(TRAIN_COLD_START_HISTORY_MS, 0L)
                .and(COMMIT_INTERVAL_MS, 50L)
                // The run's topics are its own, written and read only here: no registry needed whatever serde.format says.
                .and(SERDE_FORMAT, SerdeFormat.SINGLE_OBJECT);
        if (base.cluster().embedded()) {
            // Only a broker-driven run talks to a broker, and its caller starts one first; in-process nothing connects.
            run = run.and(BOOTSTRAP_SERVERS, "in-process:9092");
        }
        return base.with(run);
    }

    /** Scores whole series held in memory (in event-time order across them) and keeps everything the run produced. */
    public static Result run(SeismoConfig config, List<SeriesInput> inputs, Options options, Progress progress) {
        Map<String, List<ScoredReading>> scores = new LinkedHashMap<>();
        inputs.forEach(in -> scores.put(in.series(), new ArrayList<>()));
        List<AnomalyEvent> events = new ArrayList<>();
        List<Input> readings = inEventTimeOrder(inputs);
        Summary s = run(config, readings.iterator(), readings.size(), options, progress, new Sink() {
            @Override
            public void scored(ScoredReading reading) {
                scores.computeIfAbsent(reading.getSeries(), k -> new ArrayList<>()).add(reading);
            }

            @Override
            public void event(AnomalyEvent event) {
                events.add(event);
            }
        });
        return new Result(scores, events, s.releases(), s.readings(), s.deadLetters(), s.refusals(), s.elapsed(), s);
    }

    /**
     * Scores a stream of readings, in the order given, with a configuration made by {@link #isolated} (for the broker
     * engine, its topics must exist and be empty), handing the output to {@code sink} as it comes.
     *
     * @param total how many readings {@code readings} holds, as far as known (for progress only)
     */
    public static Summary run(SeismoConfig config, Iterator<Input> readings, long total, Options options, Progress progress, Sink sink) {
        long began = System.nanoTime();
        long judgingNanos = 0;
        long trainingNanos = 0;
        Retrainer retrainer = new Retrainer(config);
        List<ModelRelease> releases = new ArrayList<>();
        Collector out = new Collector(sink);
        int refusals = 0;
        long count = 0;
        try (Judge judge = options.engine() == Engine.IN_PROCESS ? new InProcessJudge(config) : new BrokerJudge(config)) {
            if (options.initialRelease() != null) {
                ModelRelease first = options.initialRelease();
                judge.publish(first);
                retrainer.continueFrom(first.getVersion(), networkOf(config, first));
                releases.add(first);
            }
            List<Input> batch = new ArrayList<>(options.batch());
            while (readings.hasNext()) {
                batch.clear();
                while (batch.size() < options.batch() && readings.hasNext()) {
                    batch.add(readings.next());
                }
                count += batch.size();
                long t0 = System.nanoTime();
                judge.judge(batch, out);
                judgingNanos += System.nanoTime() - t0;
                out.normal.sort(Comparator.comparing((Reading r) -> r.getTimestamp()).thenComparing(Reading::getSeries));
                for (Reading r : out.normal) {
                    retrainer.append(r.getSeries(), r.getTimestamp().toEpochMilli(), r.getValue());
                }
                out.normal.clear();
                progress.advanced(out.judged, Math.max(total, count));
                if (options.retrain() && readings.hasNext() && retrainer.due()) {
                    long t1 = System.nanoTime();
                    Retrainer.Outcome outcome = retrainer.train((epoch, max, train, validation) -> { }, (series, values) -> { });
                    trainingNanos += System.nanoTime() - t1;
                    if (outcome.accepted()) {
                        judge.publish(outcome.release());
                        retrainer.published(outcome);
                        releases.add(outcome.release());
                        progress.released(outcome.release());
                    } else {
                        refusals++;
                        progress.refused(outcome.refusal());
                        LOG.info("candidate not published: {}", outcome.refusal());
                    }
                }
            }
        }
        return new Summary(count, out.scored, out.deadLetters, List.copyOf(releases), refusals, Duration.ofNanos(System.nanoTime() - began),
                Duration.ofNanos(judgingNanos), Duration.ofNanos(trainingNanos));
    }

    /** Hands the detector's output to the sink and keeps the readings judged normal for the trainer. */
    private static final class Collector implements DetectorOutputs {
        private final Sink sink;
        private final List<Reading> normal = new ArrayList<>();
        private long judged;
        private long scored;
        private long deadLetters;

        Collector(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void scored(ScoredReading scoredReading) {
            sink.scored(scoredReading);
            scored++;
            judged++;
        }

        @Override
        public void normal(Reading reading) {
            normal.add(reading);
        }

        @Override
        public void event(AnomalyEvent anomalyEvent) {
            sink.event(anomalyEvent);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            sink.deadLetter(deadLetter);
            deadLetters++;
            judged++;
        }
    }

    /** A fresh state directory for one run. */
    public static Path stateDirectory() {
        try {
            return Files.createTempDirectory("seismo-score-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Input> inEventTimeOrder(List<SeriesInput> inputs) {
        List<Reading> all = new ArrayList<>();
        for (SeriesInput in : inputs) {
            for (int i = 0; i < in.values().length; i++) {
                all.add(new Reading(in.series(), Instant.ofEpochMilli(in.timestamps()[i]), in.values()[i]));
            }
        }
        // Ties between series go by series id, so the order does not depend on the inputs' order. The sort is stable: a
        // series' readings with equal timestamps keep their input order (the detector dead-letters the repeats).
        all.sort(Comparator.comparing(Reading::getTimestamp).thenComparing(Reading::getSeries));
        List<Input> out = new ArrayList<>(all.size());
        for (Reading r : all) {
            out.add(Input.of(r));
        }
        return out;
    }

    private static Network networkOf(SeismoConfig config, ModelRelease release) {
        try {
            return ModelReleases.toNetwork(release, ModelTrainer.shapeOf(config.model()), ModelReleases.inputsOf(config.model()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("release " + release.getVersion() + " does not fit the configured model: " + e.getMessage(), e);
        }
    }
}
