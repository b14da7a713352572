package io.seismo.train;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.seismo.config.ConfigDef;
import io.seismo.config.SeismoConfig;
import io.seismo.nn.Network;
import io.seismo.nn.TrainingListener;
import io.seismo.release.ModelReleases;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.TrainingInfo;

/**
 * The trainer's decisions without the transport: buffers normal readings, decides when a retraining is due (on the
 * wall clock or on event time, per {@code train.clock}), trains a candidate warm-started from the release in force,
 * gates it, and builds the next release. {@link TrainerService} drives it from the training topic; a scoring run drives
 * it directly between batches of input, so that the same input gives the same releases at the same points.
 */
public final class Retrainer {
    private final SeismoConfig config;
    private final ModelTrainer trainer;
    private final SampleBuffer buffer;
    private final boolean eventClock;
    private Network current;
    private long version;
    private long appendedAtLastTraining = -1;
    private long heldAtLastTraining;
    private long lastTrainingMillis;
    /** Candidates refused in a row since the last release: each doubles the wait for the next training, up to train.backoff.max. */
    private int refusedInARow;

    /** One training run's outcome: a release to publish, or why there is none. */
    public record Outcome(ModelTrainer.Candidate candidate, ModelRelease release, String refusal) {
        public boolean accepted() {
            return release != null;
        }
    }

    public Retrainer(SeismoConfig config) {
        this.config = config;
        this.trainer = new ModelTrainer(config);
        this.buffer = new SampleBuffer(config.train().history(), config.train().maxSeries());
        this.eventClock = config.train().onEventTime();
    }

    public boolean eventClock() {
        return eventClock;
    }

    public SampleBuffer buffer() {
        return buffer;
    }

    public void append(String series, long timestamp, double value) {
        buffer.append(series, timestamp, value);
    }

    /** Version of the release in force as far as this trainer knows; 0 before the first. */
    public long version() {
        return version;
    }

    /** The network of the release in force, or null before the first (or when it does not fit the configuration). */
    public Network current() {
        return current;
    }

    /** Takes the release in force (published by anyone: this trainer, a rollback, another trainer) as the one to continue from. */
    public void continueFrom(long releaseVersion, Network network) {
        version = releaseVersion;
        current = network;
    }

    /** Now, on {@code train.clock}: the wall clock, or the latest event time seen. */
    public long clock() {
        return eventClock ? buffer.lastTimestamp() : System.currentTimeMillis();
    }

    /**
     * Whether a training run is due now: enough time and enough new readings since the last ({@link #newSamplesNeeded}),
     * and a series long enough.
     * Both waits double with each candidate refused in a row (up to {@code train.backoff.max}): a model the data keeps
     * confirming is not retrained at full rate, and a release resets the rate.
     */
    public boolean due() {
        SeismoConfig.Train t = config.train();
        long now = clock();
        long factor = backoff();
        if (appendedAtLastTraining >= 0
                && (now - lastTrainingMillis < t.intervalMs() * factor || buffer.appended() - appendedAtLastTraining < newSamplesNeeded() * factor)) {
            return false;
        }
        return buffer.longestSeries() >= t.minSamplesPerSeries() && buffer.readySeries(t.minSamplesPerSeries()) > 0;
    }

    /**
     * Trains one candidate on a sample of the buffer and gates it against the release in force. An accepted candidate
     * comes with the next release, which becomes the one in force only once {@link #published} is called.
     */
    public Outcome train(TrainingListener listener, java.util.function.BiConsumer<Integer, Long> started) {
        SeismoConfig.Train t = config.train();
        long runSeed = t.seed() + version;
        List<ModelTrainer.TimedValues> sequences = buffer.sample(t.maxSequences(), t.minSamplesPerSeries(), runSeed);
        appendedAtLastTraining = buffer.appended();
        heldAtLastTraining = buffer.held();
        started.accept(sequences.size(), sequences.stream().mapToLong(s -> s.values().length).sum());
        ModelTrainer.Candidate candidate = trainer.train(sequences, current, runSeed, listener);
        lastTrainingMillis = clock();
        String refusal = candidate.gate(t.validationMargin());
        if (refusal != null) {
            refusedInARow++;
            return new Outcome(candidate, null, refusal);
        }
        TrainingInfo info = TrainingInfo.newBuilder()
                .setSeries(candidate.series())
                .setSamples(candidate.samples())
                .setEpochs(candidate.result().epochs())
                .setWindow(t.window())
                .setTrainLoss(candidate.result().trainLoss())
                .setValidationLoss(candidate.heldOutLoss())
                .setBaselineLoss(candidate.naiveHeldOutLoss())
                .setPreviousValidationLoss(Double.isNaN(candidate.currentHeldOutLoss()) ? 0.0 : candidate.currentHeldOutLoss())
                .setHyperParameters(hyperParameters())
                .setSeed(candidate.seed())
                .setFromTime(Instant.ofEpochMilli(buffer.firstTimestamp()))
                .setToTime(Instant.ofEpochMilli(buffer.lastTimestamp()))
                .setDurationMillis(candidate.durationMillis())
                .build();
        // On event time a release is dated by the input, so that replays of the same input give the same releases.
        Instant createdAt = eventClock ? Instant.ofEpochMilli(buffer.lastTimestamp()) : Instant.now();
        ModelRelease release = ModelReleases.toRelease(config.model().name(), version + 1, version, candidate.result().network(),
                ModelReleases.inputsOf(config.model()), info, createdAt);
        return new Outcome(candidate, release, null);
    }

    /** The outcome's release was published: it is now the one in force. */
    public void published(Outcome outcome) {
        refusedInARow = 0;
        version = outcome.release().getVersion();
        current = outcome.candidate().result().network();
    }

    /**
     * New values a training needs since the last one: train.min.new.samples, or train.min.new.fraction of the values held
     * at the last training if that is more. One series never holds more than train.history values, so for a few series the
     * count rules; for thousands, a run waits until a share of what it samples from has changed.
     */
    long newSamplesNeeded() {
        SeismoConfig.Train t = config.train();
        return Math.max(t.minNewSamples(), (long) Math.ceil(t.minNewFraction() * heldAtLastTraining));
    }

    /** How many times the usual wait the next training waits: 2 to the candidates refused in a row, capped. */
    long backoff() {
        int cap = config.train().backoffMax();
        return refusedInARow >= 31 ? cap : Math.min(cap, 1L << refusedInARow);
    }

    /** The model.* and train.* settings, recorded in every release; not the trainer's consumer group, which is transport. */
    private Map<String, String> hyperParameters() {
        Map<String, String> out = new TreeMap<>(config.toMap(SeismoConfig.Model.class));
        out.putAll(config.toMap(SeismoConfig.Train.class));
        out.remove(ConfigDef.TRAIN_GROUP_ID.name());
        return out;
    }
}
