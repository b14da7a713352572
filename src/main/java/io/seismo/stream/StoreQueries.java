package io.seismo.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.seismo.detect.DetectorSettings;
import io.seismo.detect.SeriesState;
import io.seismo.schema.ModelRelease;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on a running detector: a series' state from this instance's store, which instance owns a
 * series, and every instance that holds part of the store. Answers are plain records; nothing Avro or Kafka leaks out
 * but the instances' addresses. Thread-safe.
 */
public final class StoreQueries {
    private static final String STATES = SeismoTopology.Names.DEFAULT.stateStore();
    private static final String MODELS = SeismoTopology.Names.DEFAULT.modelStore();
    private static final String COUNTS = SeismoTopology.Names.DEFAULT.countsStore();

    /**
     * A series' state as the detector left it after its last reading. {@code expected} is the prediction for the next
     * reading and {@code lower}/{@code upper} the band around it, expected ± threshold × the series' scaled std (NaN
     * while there is no threshold yet); {@code score} is the score the detector gave the last reading (the configured score function's).
     * {@code threshold} is the one in force: the learned threshold times {@code thresholdFactor}, which operators' feedback
     * ({@code falseAlarms}, {@code confirmations}) has set (1 without any). {@code silentSince} is when the series' open
     * SILENT episode began, {@link SeriesState#NOT_SILENT} while it reports. The latest anomaly episode runs from
     * {@code latestEpisodeStart} ({@link #NO_EPISODE} if none yet) to {@code latestEpisodeEnd} (its last reading;
     * {@link Long#MAX_VALUE} while open); {@code verdictTaken} says whether an operator's verdict on it was taken.
     */
    public record SeriesSnapshot(String series, long readings, long lastTimestamp, double lastValue, boolean hasPrediction,
                                 double expected, double lower, double upper, double threshold, double learnedThreshold,
                                 double smoothedError, double score,
                                 boolean inEpisode, long episodeStart, long modelVersion, double thresholdFactor, int falseAlarms,
                                 int confirmations, long silentSince, long latestEpisodeStart, long latestEpisodeEnd,
                                 boolean verdictTaken) {
        /** {@link #latestEpisodeStart()} of a series that never had an anomaly episode. */
        public static final long NO_EPISODE = Long.MIN_VALUE;

        /** Whether the series has a SILENT episode open. */
        public boolean silent() {
            return silentSince != SeriesState.NOT_SILENT;
        }

        /**
         * Whether an operator's verdict on the alert at {@code anomalyTimestamp} would be taken: it lies in the latest
         * episode, which has no verdict yet (as {@link SeriesState#acceptsFeedback}, which the detector applies).
         */
        public boolean acceptsFeedback(long anomalyTimestamp) {
            return latestEpisodeStart != NO_EPISODE && !verdictTaken && anomalyTimestamp >= latestEpisodeStart
                    && anomalyTimestamp <= latestEpisodeEnd;
        }
    }

    /** Where a series' state lives: this instance or another at host:port. */
    public record Owner(String host, int port, boolean local) {
    }

    /** The release of a model the global store holds. */
    public record ModelInForce(long version, Instant createdAt) {
    }

    /** The store cannot be queried now (the application is starting or rebalancing). */
    public static final class NotAvailable extends RuntimeException {
        public NotAvailable(String message) {
            super(message);
        }
    }

    private final KafkaStreams streams;
    private final DetectorSettings settings;
    private final PackedSeriesState packed;
    private final HostInfo self;

    StoreQueries(KafkaStreams streams, DetectorSettings settings, HostInfo self) {
        this.streams = streams;
        this.settings = settings;
        this.packed = new PackedSeriesState(settings);
        this.self = self;
    }

    /** The series' state if this instance's store holds it. */
    public Optional<SeriesSnapshot> local(String series) {
        byte[] bytes;
        try {
            bytes = states().get(series);
        } catch (InvalidStateStoreException e) {
            throw notAvailable(e);
        }
        return bytes == null ? Optional.empty() : Optional.of(snapshot(series, bytes));
    }

    /**
     * The local series whose ids start with {@code prefix} and sort after {@code after} (null for the first page), at
     * most {@code limit}, in id order. Each local partition's store is read by a range scan from the cursor that stops
     * after {@code limit} series: a page costs at most {@code limit} reads per partition, whatever the store holds.
     */
    public List<SeriesSnapshot> localPage(String prefix, String after, int limit) {
        TreeMap<String, byte[]> page = new TreeMap<>();
        String from = after != null && after.compareTo(prefix) >= 0 ? after : prefix;
        try {
            for (int partition : localPartitions()) {
                ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(STATES,
                        QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(partition));
                int taken = 0;
                try (KeyValueIterator<String, byte[]> it = from.isEmpty() ? store.all() : store.range(from, null)) {
                    while (taken < limit && it.hasNext()) {
                        var kv = it.next();
                        if (!kv.key.startsWith(prefix)) {
                            if (kv.key.compareTo(prefix) > 0) {
                                break;
                            }
                            continue;
                        }
                        if (after != null && kv.key.compareTo(after) <= 0) {
                            continue;
                        }
                        page.put(kv.key, kv.value);
                        taken++;
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw notAvailable(e);
        }
        while (page.size() > limit) {
            page.pollLastEntry();
        }
        List<SeriesSnapshot> out = new ArrayList<>(page.size());
        for (Map.Entry<String, byte[]> e : page.entrySet()) {
            out.add(snapshot(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The partitions of the state store this instance's active tasks hold. */
    private java.util.SortedSet<Integer> localPartitions() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new NotAvailable("the detector is " + streams.state());
        }
        java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> partitions.add(task.taskId().partition())));
        return partitions;
    }

    /** Series in this instance's stores and those with an episode open (an anomaly episode or a SILENT one). */
    public record Counts(long series, long openEpisodes) {
    }

    /** The counts the detector keeps beside the states of this instance's partitions: a few reads, never a scan of the states. */
    public Counts counts() {
        long series = 0;
        long open = 0;
        try {
            ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(COUNTS,
                    QueryableStoreTypes.<String, Long>keyValueStore()));
            // One pair of keys per partition's store: all() runs over every local store in turn.
            try (KeyValueIterator<String, Long> it = store.all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (SeriesCounts.SERIES.equals(kv.key)) {
                        series += kv.value;
                    } else if (SeriesCounts.OPEN.equals(kv.key)) {
                        open += kv.value;
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw notAvailable(e);
        }
        return new Counts(series, open);
    }

    /** Series in this instance's store with an episode open (an anomaly episode or a SILENT one). */
    public long openEpisodes() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new NotAvailable("the detector is " + streams.state());
        }
        return counts().openEpisodes();
    }

    /** The instance whose store holds {@code series} (whether or not it has been seen). */
    public Owner ownerOf(String series) {
        KeyQueryMetadata meta = streams.queryMetadataForKey(STATES, series, Serdes.String().serializer());
        if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta) || meta.activeHost().port() < 0) {
            throw new NotAvailable("the owner of series '" + series + "' is not known yet (the detector is " + streams.state() + ")");
        }
        HostInfo h = meta.activeHost();
        return new Owner(h.host(), h.port(), h.equals(self));
    }

    /** Every instance holding part of the state store, this one included, as host:port owners. */
    public List<Owner> instances() {
        List<Owner> out = new ArrayList<>();
        streams.streamsMetadataForStore(STATES).forEach(m -> out.add(new Owner(m.host(), m.port(), m.hostInfo().equals(self))));
        return out;
    }

    /** The release of {@code modelName} the global store holds, if any. */
    public Optional<ModelInForce> modelInForce(String modelName) {
        try {
            ReadOnlyKeyValueStore<String, ModelRelease> store = streams.store(
                    StoreQueryParameters.fromNameAndType(MODELS, QueryableStoreTypes.<String, ModelRelease>keyValueStore()));
            ModelRelease r = store.get(modelName);
            return r == null ? Optional.empty() : Optional.of(new ModelInForce(r.getVersion(), r.getCreatedAt()));
        } catch (InvalidStateStoreException e) {
            throw notAvailable(e);
        }
    }

    /** The application's state, e.g. RUNNING or REBALANCING. */
    public String state() {
        return streams.state().name();
    }

    private ReadOnlyKeyValueStore<String, byte[]> states() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new NotAvailable("the detector is " + streams.state());
        }
        return streams.store(StoreQueryParameters.fromNameAndType(STATES, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    private NotAvailable notAvailable(InvalidStateStoreException e) {
        return new NotAvailable("the state store cannot be queried now (" + streams.state() + "): " + e.getMessage());
    }

    private SeriesSnapshot snapshot(String series, byte[] bytes) {
        SeriesState s = packed.decode(bytes);
        double threshold = s.threshold();
        double band = s.bandHalfWidth();
        double smoothed = s.smoothedError();
        boolean ready = s.hasPrediction() && threshold > 0;
        double score = s.lastScore();
        var episode = s.episodes();
        return new SeriesSnapshot(series, s.readings(), s.lastTimestamp(), s.lastValue(), s.hasPrediction(), s.expected(),
                ready ? s.expected() - band : Double.NaN, ready ? s.expected() + band : Double.NaN,
                threshold, s.learnedThreshold(), smoothed, score, s.inEpisode(), episode.open() ? episode.start() : 0, s.modelVersion(), s.thresholdFactor(),
                s.falseAlarms(), s.confirmations(), s.silentSince(),
                episode.readings() > 0 ? episode.start() : SeriesSnapshot.NO_EPISODE,
                episode.open() ? Long.MAX_VALUE : s.lastTimestamp(),
                episode.readings() > 0 && s.feedbackEpisode() == episode.start());
    }
}
