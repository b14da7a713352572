package io.seismo.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.DetectorSettings;
import io.seismo.schema.ModelRelease;
import io.seismo.schema.SeriesStateView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifecycle of the detector: the Kafka Streams application running {@link SeismoTopology}. */
public final class DetectorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorApp.class);

    private final KafkaStreams streams;
    private final SeismoSerdes.External external;
    private final PackedSeriesState packed;
    private final StoreQueries queries;
    private final PoisonPolicy poison;
    private final int replacementsMax;
    private final java.util.concurrent.atomic.AtomicInteger replacements = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean replacementsExhausted;
    /**
     * Replacements of threads failed by a refused output (exactly-once: the producer refuses the rest of the transaction),
     * which are not counted against stream.thread.replacements.max: each one moves past a poison record. Bounded all the
     * same, in case a refusal were never attributed to its input.
     */
    static final int DOOMED_REPLACEMENTS_MAX = 10_000;
    private final java.util.concurrent.atomic.AtomicInteger doomed = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Consumer<RuntimeException> onFatal = e -> { };

    public DetectorApp(SeismoConfig config) {
        this(config, DetectorMetrics.NONE, null);
    }

    /**
     * A detector reporting to {@code metrics}, reachable for interactive queries at {@code applicationServer}
     * (host:port of this instance's HTTP server; null when it serves none).
     */
    public DetectorApp(SeismoConfig config, DetectorMetrics metrics, String applicationServer) {
        this.packed = new PackedSeriesState(DetectorSettings.from(config));
        this.external = SeismoSerdes.external(config.formats());
        this.poison = new PoisonPolicy(config, external.deadLetters().serializer(), metrics);
        this.replacementsMax = config.cluster().threadReplacementsMax();
        Properties props = streamsProperties(config, poison);
        HostInfo self = null;
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
            self = HostInfo.buildFromEndpoint(applicationServer);
        }
        this.streams = new KafkaStreams(SeismoTopology.build(config, metrics, external), props);
        this.queries = new StoreQueries(streams, DetectorSettings.from(config), self);
        streams.setUncaughtExceptionHandler(this::onUncaught);
    }

    /**
     * What to do when a stream thread dies of {@code e}: replace it, up to {@code stream.thread.replacements.max} times
     * over the application's life; after that, or at once when the cluster refuses the detector's credentials or rights
     * (a new thread would be refused the same way), shut the client down and tell the {@link #onFatalFailure} listener.
     * A record that keeps failing is dead-lettered by the error handlers, so a thread dies only of what they let through
     * (a closed store, a fenced producer, the registry out of reach, a bug): replacing it forever would hide that.
     */
    StreamThreadExceptionResponse onUncaught(Throwable e) {
        if (securityCause(e) != null) {
            RuntimeException refused = new IllegalStateException(explain(e), e);
            LOG.error("the detector stops: {}", refused.getMessage());
            onFatal.accept(refused);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (PoisonPolicy.transactionDoomed(e) && doomed.incrementAndGet() <= DOOMED_REPLACEMENTS_MAX) {
            // Not a failing thread but a refused output: its input is remembered and is dead-lettered by the new thread.
            LOG.warn("stream thread failed because the broker refused an output of its transaction; replacing it (not counted "
                    + "against stream.thread.replacements.max): {}", explain(e));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        int done = replacements.get();
        if (done >= replacementsMax) {
            replacementsExhausted = true;
            RuntimeException exhausted = new IllegalStateException("a stream thread failed after " + done
                    + " replacements (stream.thread.replacements.max=" + replacementsMax + "): " + explain(e), e);
            LOG.error("the detector stops: {}", exhausted.getMessage(), e);
            onFatal.accept(exhausted);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        int now = replacements.incrementAndGet();
        LOG.error("stream thread failed, replacing it ({} of {} replacements): {}", now, replacementsMax, e.toString(), e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** How many times a failed stream thread was replaced since the detector was made. */
    public int threadReplacements() {
        return replacements.get();
    }

    /** Whether a stream thread failed after {@code stream.thread.replacements.max} replacements, so the detector stopped. */
    public boolean replacementsExhausted() {
        return replacementsExhausted;
    }

    /** The inputs whose outputs the broker refused, and how many were dropped because even their reduced dead letters were. */
    public RefusedOutputs refusedOutputs() {
        return poison.refused();
    }

    /**
     * Called (on a stream thread) when the detector shuts down for good: the cluster refuses its credentials or rights,
     * or stream threads kept failing beyond {@code stream.thread.replacements.max} replacements. Set before {@link #start()}.
     */
    public void onFatalFailure(Consumer<RuntimeException> listener) {
        this.onFatal = listener;
    }

    /**
     * The messages along {@code e}'s causes, outermost first, repeats dropped: "Could not create topic
     * seismo-detector-series-state-changelog: Authorization failed" says what Kafka Streams was doing and why.
     */
    static String explain(Throwable e) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            boolean wrapperOnly = t.getCause() != null && t.getCause().toString().equals(m);
            if (m != null && !m.isBlank() && !wrapperOnly && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m.trim().replaceAll("\\.$", ""));
            }
        }
        return parts.isEmpty() ? e.toString() : String.join(": ", parts);
    }

    /** The authentication or authorization failure in {@code e}'s causes, or null. */
    static Throwable securityCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return t;
            }
        }
        return null;
    }

    /**
     * The Kafka Streams settings a configuration implies (kafka.* keys pass through to every client), with error handlers
     * that dead-letter in single-object encoding or registry serdes made on first use.
     */
    public static Properties streamsProperties(SeismoConfig config) {
        return streamsProperties(config, new PoisonPolicy(config, null, DetectorMetrics.NONE));
    }

    /** The same, the error handlers and processors sharing {@code poison}. */
    public static Properties streamsProperties(SeismoConfig config, PoisonPolicy poison) {
        SeismoConfig.Cluster c = config.cluster();
        Properties p = new Properties();
        p.putAll(config.clientConfig());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, switch (c.processingGuarantee()) {
            case EXACTLY_ONCE_V2 -> StreamsConfig.EXACTLY_ONCE_V2;
            case AT_LEAST_ONCE -> StreamsConfig.AT_LEAST_ONCE;
        });
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitIntervalMs());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.topics().replicationFactor());
        int modelBytes = config.topics().modelsMaxMessageBytes();
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), modelBytes);
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), modelBytes);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // A commit flushes every series' state written since the last one to the changelog (some 1,000 records of ~1 kB
        // at 1,000 series): in 256 KiB batches rather than the default 16 KiB that flush takes a fraction of the round
        // trips. seismo bench at 20,000 readings/s: detector p99 319 -> 180 ms (docs/performance.md).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // The global model processor handles bad releases itself; this opts in to the 5.0 behaviour now.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        if (c.rocksDbMemoryMb() > 0) {
            p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
            p.put(BoundedRocksDb.MEMORY_CONFIG, Long.toString((long) c.rocksDbMemoryMb() << 20));
        }
        // Releases are published in transactions: never take up one whose transaction was aborted, whatever the guarantee.
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // A record whose processing or output keeps failing is dead-lettered, so its partition keeps moving.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        p.put(PoisonPolicy.CONFIG_KEY, poison);
        for (Map.Entry<String, String> e : config.kafka().entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        return p;
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Interactive queries on this detector's stores and on where the other instances' are. */
    public StoreQueries queries() {
        return queries;
    }

    /**
     * Waits until the application is processing.
     *
     * @throws IllegalStateException when it fails or does not get there in time
     */
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running()) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the detector stopped while starting (" + state + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the detector is not running after " + timeout.toSeconds() + " s (" + state + ")");
            }
            pause();
        }
    }

    /**
     * The version of a model's release the detector's global model store holds: the one in force from the next reading
     * on; 0 when it holds none.
     */
    public long releaseInForce(String modelName) {
        var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                SeismoTopology.Names.DEFAULT.modelStore(),
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, ModelRelease>keyValueStore()));
        ModelRelease release = store.get(modelName);
        return release == null ? 0 : release.getVersion();
    }

    /**
     * Every series' state this instance's store holds, as readable Avro views; empty while the application is not
     * RUNNING (a rebalance in progress).
     */
    public java.util.Map<String, SeriesStateView> seriesStates() {
        java.util.Map<String, SeriesStateView> out = new java.util.HashMap<>();
        if (!running()) {
            return out;
        }
        try {
            var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                    SeismoTopology.Names.DEFAULT.stateStore(), org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (var it = store.all()) {
                it.forEachRemaining(kv -> out.put(kv.key, packed.toAvro(kv.value)));
            }
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException rebalancing) {
            return java.util.Map.of();
        }
        return out;
    }

    /**
     * Waits until the global model store holds release {@code version} (or a later one) of {@code modelName}: from then on
     * every detector task takes it up on its next reading.
     *
     * @throws IllegalStateException when it does not within {@code timeout}
     */
    public void awaitReleaseInForce(String modelName, long version, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (releaseInForce(modelName) < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("release " + version + " of model '" + modelName + "' did not reach the detector within "
                        + timeout.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The application's state (CREATED, REBALANCING, RUNNING, ...), for display. */
    public String state() {
        return String.valueOf(streams.state());
    }

    /** Whether the application is processing. */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Stops processing and leaves the group, so the partitions move to the other instances (or a restart) at once. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        external.close();
    }
}
