package io.seismo.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Seismo's configuration as a table: each key with its type, default, validator, documentation and the record component
 * its value lives in. {@link SeismoConfig#parse} reads raw values through this table exactly once and builds the records
 * from it; {@link SeismoConfig#toMap}, {@code seismo config --markdown} and the README's table list the keys from it.
 */
public final class ConfigDef {

    /** Value types of configuration keys. */
    public enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN }

    /** Checks a parsed value; returns null when valid, else what is allowed. */
    @FunctionalInterface
    public interface Validator {
        String check(Object value);

        Validator ANY = value -> null;

        static Validator atLeast(double min) {
            return v -> ((Number) v).doubleValue() >= min ? null : "must be at least " + fmt(min);
        }

        static Validator between(double min, double max) {
            return v -> {
                double d = ((Number) v).doubleValue();
                return d >= min && d <= max ? null : "must be between " + fmt(min) + " and " + fmt(max);
            };
        }

        static Validator openInterval(double min, double max) {
            return v -> {
                double d = ((Number) v).doubleValue();
                return d > min && d < max ? null : "must be strictly between " + fmt(min) + " and " + fmt(max);
            };
        }

        static Validator oneOf(String... allowed) {
            Set<String> set = Set.of(allowed);
            return v -> set.contains(v) ? null : "must be one of " + String.join(", ", allowed);
        }

        /** A comma list drawn from {@code allowed}, each at most once, containing {@code required}. */
        static Validator listOf(String required, String... allowed) {
            Set<String> set = Set.of(allowed);
            return v -> {
                List<String> items = java.util.Arrays.stream(((String) v).split(",")).map(String::trim).toList();
                if (!items.contains(required)) {
                    return "must include " + required;
                }
                if (items.stream().distinct().count() != items.size() || !set.containsAll(items)) {
                    return "must be a comma list of distinct " + String.join(", ", allowed);
                }
                return null;
            };
        }

        /** A string matching a regular expression, described for the error message. */
        static Validator matches(String regex, String description) {
            return v -> ((String) v).trim().matches(regex) ? null : "must be " + description;
        }

        static Validator nonEmpty() {
            return v -> ((String) v).isBlank() ? "must not be empty" : null;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** The constants of an enum-valued key, each with the spelling configuration uses for it. */
    public interface Choice {
        String spelling();
    }

    /** Rewrites a valid value before it is stored. */
    @FunctionalInterface
    public interface Normaliser {
        String apply(String value);

        Normaliser NONE = value -> value;

        /** Drops every space: "value, gap" becomes "value,gap". */
        Normaliser WITHOUT_SPACES = value -> value.replace(" ", "");
    }

    /**
     * One row of the table: a key with its type, default, validator and documentation, and where its value lives: the
     * component {@code component} of the section record {@code section} of {@link SeismoConfig}. An enum-valued key has
     * its constants in {@code choices} (in the order its error message lists them) and a {@link Type#STRING} type: it is
     * written as a string. Every value is trimmed before it is parsed; {@code normaliser} rewrites a valid string further.
     */
    public record Key(String name, Type type, String defaultValue, Validator validator, String doc,
                      Class<? extends Record> section, String component, List<Choice> choices, Normaliser normaliser) {
        public Key {
            choices = List.copyOf(choices);
        }

        /** Parses and validates a raw value into what the record component holds. */
        Object parse(String raw) {
            String s = raw.trim();
            try {
                Object value = switch (type) {
                    case STRING -> s;
                    case INT -> Integer.parseInt(s.replace("_", ""));
                    case LONG -> Long.parseLong(s.replace("_", ""));
                    case DOUBLE -> Double.parseDouble(s);
                    case BOOLEAN -> parseBoolean(s);
                };
                if (value instanceof Double d && !Double.isFinite(d)) {
                    throw new ConfigException(name + "=" + raw + ": must be a finite number");
                }
                String problem = validator.check(value);
                if (problem != null) {
                    throw new ConfigException(name + "=" + raw + ": " + problem);
                }
                if (!choices.isEmpty()) {
                    return choices.stream().filter(c -> c.spelling().equals(s)).findFirst().orElseThrow();
                }
                return value instanceof String str ? normaliser.apply(str) : value;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + "=" + raw + ": not a valid " + type.name().toLowerCase(Locale.ROOT));
            }
        }

        /** A value as configuration writes it: an enum constant by its spelling. */
        String format(Object value) {
            return value instanceof Choice c ? c.spelling() : String.valueOf(value);
        }

        /** The Java type of the record component the value goes to. */
        Class<?> valueType() {
            if (!choices.isEmpty()) {
                return ((Enum<?>) choices.get(0)).getDeclaringClass();
            }
            return switch (type) {
                case STRING -> String.class;
                case INT -> int.class;
                case LONG -> long.class;
                case DOUBLE -> double.class;
                case BOOLEAN -> boolean.class;
            };
        }

        private Object parseBoolean(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new ConfigException(name + "=" + s + ": must be true or false");
            };
        }
    }

    /** Keys with this prefix are passed, without it, to every Kafka client Seismo creates (e.g. kafka.security.protocol). */
    public static final String KAFKA_PREFIX = "kafka.";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    /** The recurrent cells a model can use (the ids of io.seismo.nn.CellType; a test keeps the two in step). */
    public static final String[] CELLS = {"lstm", "lstm-peephole", "lstm-coupled", "gru", "rnn"};

    private static final Class<SeismoConfig.Cluster> CLUSTER = SeismoConfig.Cluster.class;
    private static final Class<SeismoConfig.Topics> TOPICS = SeismoConfig.Topics.class;
    private static final Class<SeismoConfig.Formats> FORMATS = SeismoConfig.Formats.class;
    private static final Class<SeismoConfig.Input> INPUT = SeismoConfig.Input.class;
    private static final Class<SeismoConfig.Model> MODEL = SeismoConfig.Model.class;
    private static final Class<SeismoConfig.Detect> DETECT = SeismoConfig.Detect.class;
    private static final Class<SeismoConfig.Train> TRAIN = SeismoConfig.Train.class;
    private static final Class<SeismoConfig.Http> HTTP = SeismoConfig.Http.class;

    private static void define(String name, Class<? extends Record> section, String component, Type type, String def,
                               Validator validator, String doc) {
        define(name, section, component, type, def, validator, Normaliser.NONE, doc);
    }

    private static void define(String name, Class<? extends Record> section, String component, Type type, String def,
                               Validator validator, Normaliser normaliser, String doc) {
        add(new Key(name, type, def, validator, doc, section, component, List.of(), normaliser));
    }

    /** An enum-valued key: its values are the spellings of {@code choices}' constants, in declaration order. */
    private static <E extends Enum<E> & Choice> void define(String name, Class<? extends Record> section, String component,
                                                            Class<E> choices, E def, String doc) {
        List<Choice> constants = List.of(choices.getEnumConstants());
        String[] spellings = constants.stream().map(Choice::spelling).toArray(String[]::new);
        add(new Key(name, Type.STRING, def.spelling(), Validator.oneOf(spellings), doc, section, component, constants, Normaliser.NONE));
    }

    private static void add(Key key) {
        if (KEYS.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("configuration key " + key.name() + " is defined twice");
        }
    }

    static {
        // Cluster and application
        define("bootstrap.servers", CLUSTER, "bootstrapServers", Type.STRING, "embedded", Validator.nonEmpty(),
                "Kafka bootstrap servers, or 'embedded' to start Seismo's in-process single-node KRaft broker.");
        define("embedded.data.dir", CLUSTER, "embeddedDataDir", Type.STRING, "seismo-data/kafka", Validator.nonEmpty(),
                "Data directory of the embedded broker; it survives restarts.");
        define("application.id", CLUSTER, "applicationId", Type.STRING, "seismo-detector", Validator.nonEmpty(),
                "Kafka Streams application id of the detector (consumer group, changelog topic prefix, transactional id prefix).");
        define("state.dir", CLUSTER, "stateDir", Type.STRING, "seismo-data/state", Validator.nonEmpty(),
                "Directory of the detector's RocksDB state stores.");
        define("processing.guarantee", CLUSTER, "processingGuarantee", ProcessingGuarantee.class, ProcessingGuarantee.EXACTLY_ONCE_V2,
                "Kafka Streams processing guarantee.");
        define("commit.interval.ms", CLUSTER, "commitIntervalMs", Type.LONG, "100", Validator.atLeast(1),
                "How often the detector commits (and, under exactly-once, closes a transaction), in milliseconds.");
        define("num.stream.threads", CLUSTER, "streamThreads", Type.INT, "1", Validator.between(1, 64), "Stream threads per detector instance.");
        define("num.standby.replicas", CLUSTER, "standbyReplicas", Type.INT, "0", Validator.between(0, 8),
                "Standby replicas of each state store, kept warm on other instances.");
        define("stream.thread.replacements.max", CLUSTER, "threadReplacementsMax", Type.INT, "3", Validator.between(0, 1000),
                "Stream threads a detector instance replaces after unexpected failures before it stops with one error line"
                        + " (a failure that repeats would otherwise be retried forever); /healthz turns unhealthy when the limit is reached.");
        define("state.ttl.ms", CLUSTER, "stateTtlMs", Type.LONG, "0", Validator.atLeast(0),
                "A series that has not reported for this long (on detect.silence.clock's clock) is deleted from the state store,"
                        + " with a tombstone on its changelog, and starts afresh if it reports again; 0 (the default) keeps every"
                        + " series forever.");
        define("state.rocksdb.memory.mb", CLUSTER, "rocksDbMemoryMb", Type.INT, "256", Validator.between(0, 1_000_000),
                "Memory RocksDB may take for all of an instance's state stores together: one block cache (which also holds index"
                        + " and filter blocks) charged for the memtables too, with a Bloom filter per table; 0 leaves each store at"
                        + " Kafka Streams' defaults (a 50 MB cache and up to 48 MB of memtables per store, index and filters unbounded).");
        define("state.sweep.interval.ms", CLUSTER, "sweepIntervalMs", Type.LONG, "1000", Validator.atLeast(10),
                "How often each detector task sweeps its series for silence and expiry, in milliseconds of wall-clock time.");
        define("state.sweep.max.series", CLUSTER, "sweepMaxSeries", Type.INT, "1000", Validator.between(1, 10_000_000),
                "Series each sweep visits at most, continuing from where the last one stopped: the work per sweep is bounded.");
        // HTTP API and metrics
        define("http.enabled", HTTP, "enabled", Type.BOOLEAN, "true", Validator.ANY,
                "Whether seismo run (detector roles) and seismo demo serve the HTTP API, /healthz, /readyz and Prometheus /metrics.");
        define("http.host", HTTP, "host", Type.STRING, "127.0.0.1", Validator.nonEmpty(),
                "Address the HTTP server binds to: localhost only by default; 0.0.0.0 for every interface (then set http.auth.token).");
        define("http.port", HTTP, "port", Type.INT, "8080", Validator.between(0, 65535),
                "Port of the HTTP server; 0 picks a free one (the URL is printed at start). When the default 8080 is taken, a free"
                        + " port is used instead; any other port must be free.");
        define("http.advertised.host", HTTP, "advertisedHost", Type.STRING, "", Validator.ANY,
                "Host name other detector instances use to reach this one's HTTP server (Kafka Streams application.server);"
                        + " empty means http.host, or this machine's host name when http.host is 0.0.0.0.");
        define("http.auth.token", HTTP, "authToken", Type.STRING, "", Validator.matches("|[\\x21-\\x7e]{16,}", "empty or at least 16 printable characters without spaces"),
                "Bearer token every non-GET HTTP call (feedback) must carry as 'Authorization: Bearer TOKEN'; empty (the default)"
                        + " accepts calls from anyone who can reach the port. Set it whenever http.host is not 127.0.0.1.");
        define("http.sse.max.clients", HTTP, "sseMaxClients", Type.INT, "32", Validator.between(1, 10_000),
                "Most clients the HTTP server streams anomaly events to at once (GET /api/stream); more are refused with 503.");
        define("http.anomalies.kept", HTTP, "anomaliesKept", Type.INT, "1000", Validator.between(1, 1_000_000),
                "Most recent anomaly events the HTTP server keeps in memory for GET /api/anomalies.");
        // Topics
        define("topic.readings", TOPICS, "readings", Type.STRING, "readings", Validator.nonEmpty(), "Input topic of Reading records, keyed by series.");
        define("topic.anomalies", TOPICS, "anomalies", Type.STRING, "anomalies", Validator.nonEmpty(), "Output topic of AnomalyEvent records.");
        define("topic.training", TOPICS, "training", Type.STRING, "training", Validator.nonEmpty(), "Side topic of readings judged normal, for the trainer.");
        define("topic.models", TOPICS, "models", Type.STRING, "models", Validator.nonEmpty(), "Compacted topic of ModelRelease records, keyed by model name.");
        define("topic.deadletter", TOPICS, "deadLetter", Type.STRING, "deadletter", Validator.nonEmpty(), "Topic of DeadLetter records: bad input with the reason.");
        define("topic.scores", TOPICS, "scores", Type.STRING, "", Validator.ANY,
                "Topic of ScoredReading records, one per reading (value, expected, band, threshold, score); empty for none. "
                        + "Backfills and seismo score always write one.");
        define("topic.feedback", TOPICS, "feedback", Type.STRING, "feedback", Validator.nonEmpty(),
                "Topic of Feedback records (operators' verdicts on alerts, from POST /api/feedback), keyed by series like the readings.");
        define("topic.partitions", TOPICS, "partitions", Type.INT, "4", Validator.between(1, 10_000),
                "Partitions of the topics Seismo creates (readings, anomalies, training, deadletter, feedback); models has one.");
        define("topic.replication.factor", TOPICS, "replicationFactor", Type.INT, "1", Validator.between(1, 16), "Replication factor of the topics Seismo creates.");
        define("topic.models.max.message.bytes", TOPICS, "modelsMaxMessageBytes", Type.INT, "8388608", Validator.atLeast(1_048_576),
                "max.message.bytes of the models topic; must fit one release's weights.");
        define("topics.create", TOPICS, "create", Type.BOOLEAN, "true", Validator.ANY,
                "Whether Seismo creates its topics when they are missing (turn off on locked-down clusters).");
        // Record format
        define("serde.format", FORMATS, "serdeFormat", SerdeFormat.class, SerdeFormat.SINGLE_OBJECT,
                "Encoding of the Avro records on the readings, anomalies, scores and deadletter topics: single-object (Avro's own"
                        + " header and schema fingerprint; no registry needed) or registry (the Confluent wire format: magic byte 0 and a"
                        + " 4-byte schema id, schemas registered in schema.registry.url). The training and models topics and the state"
                        + " store stay single-object: only Seismo reads them.");
        define("schema.registry.url", FORMATS, "registryUrl", Type.STRING, "", Validator.matches("|https?://\\S+", "empty or an http(s) URL"),
                "Base URL of the schema registry (Apicurio Registry, e.g. http://localhost:8081) when serde.format is registry;"
                        + " Seismo talks to its /apis/registry/v3 API, and its /apis/ccompat/v7 API serves Confluent clients.");
        // Bad input
        define("input.max.key.bytes", INPUT, "maxKeyBytes", Type.INT, "1024", Validator.between(1, 1_000_000),
                "Longest record key (series id) accepted, in UTF-8 bytes; longer keys are dead-lettered as KEY_TOO_LONG.");
        define("input.max.abs.value", INPUT, "maxAbsValue", Type.DOUBLE, "1e15", Validator.between(1, 1e20),
                "Largest magnitude of a reading's value accepted; beyond it the reading is dead-lettered as VALUE_OUT_OF_RANGE and"
                        + " never reaches the series' scaler or state.");
        define("input.max.future.ms", INPUT, "maxFutureMs", Type.LONG, "3600000", Validator.atLeast(0),
                "How far a reading's timestamp may lie ahead of its record's Kafka timestamp or the detector's wall clock (whichever"
                        + " is earlier), in milliseconds; beyond it the reading is dead-lettered as TIMESTAMP_OUT_OF_RANGE (0 turns the"
                        + " check off).");
        define("input.max.past.ms", INPUT, "maxPastMs", Type.LONG, "0", Validator.atLeast(0),
                "How far a reading's timestamp may lie behind the detector's wall clock, in milliseconds; beyond it the reading is"
                        + " dead-lettered as TIMESTAMP_OUT_OF_RANGE. 0 (the default) turns the check off: replays and backfills"
                        + " carry old timestamps.");
        define("input.deadletter.max.bytes", INPUT, "deadLetterMaxBytes", Type.INT, "262144", Validator.between(1024, 64 * 1_048_576),
                "Original key and value bytes kept in a dead letter, each; longer ones are cut and the dead letter is marked"
                        + " truncated (so a dead letter always fits the topic's message size).");
        // Model
        define("model.name", MODEL, "name", Type.STRING, "default", Validator.nonEmpty(), "Name of the model; key of its releases on the models topic.");
        define("model.cell", MODEL, "cell", Type.STRING, "lstm", Validator.oneOf(CELLS),
                "Recurrent cell: lstm, lstm-peephole (gates see the cell state), lstm-coupled (input gate = 1 - forget gate), gru, or rnn (plain tanh).");
        define("model.hidden.size", MODEL, "hiddenSize", Type.INT, "32", Validator.between(1, 1024), "Hidden units per layer.");
        define("model.layers", MODEL, "layers", Type.INT, "1", Validator.between(1, 3), "Stacked recurrent layers.");
        define("model.inputs", MODEL, "inputs", Type.STRING, "value,time-of-day,day-of-week", Validator.listOf("value", "value", "time-of-day", "day-of-week", "gap"),
                Normaliser.WITHOUT_SPACES,
                "Inputs per step: value (required), time-of-day and day-of-week (sin/cos of the UTC calendar; only where timestamps carry calendar meaning), gap (time since the previous reading relative to the series' typical gap).");
        define("model.window", MODEL, "window", Type.INT, "64", Validator.between(4, 4096),
                "Recent raw values kept per series; a series' recurrent state is re-warmed from them when a new model arrives.");
        define("model.check.interval.ms", MODEL, "checkIntervalMs", Type.LONG, "1000", Validator.atLeast(10),
                "How often each detector task also looks in the global model store on the wall clock, in milliseconds (a new release"
                        + " is otherwise taken up on the first reading after the store has it).");
        // Detection
        define("detect.warmup.readings", DETECT, "warmupReadings", Type.INT, "30", Validator.between(2, 1_000_000),
                "Readings per series before prediction errors are scored (the scaler settles first).");
        define("detect.scaler.horizon", DETECT, "scalerHorizon", Type.INT, "500", Validator.between(10, 100_000_000),
                "Readings after which the per-series scaler forgets old data exponentially (1/horizon per reading).");
        define("detect.error.smoothing", DETECT, "errorSmoothing", Type.DOUBLE, "1.0", Validator.between(0.01, 1.0),
                "Weight of the newest absolute error in the exponentially smoothed error (1 = no smoothing).");
        define("detect.baseline.alpha", DETECT, "baselineAlpha", Type.DOUBLE, "1.0", Validator.between(0.01, 1.0),
                "Smoothing of the baseline forecaster used before a model exists (1 = last value).");
        define("detect.spot.risk", DETECT, "spotRisk", Type.DOUBLE, "0.0001", Validator.openInterval(0, 0.5),
                "SPOT risk q: the target probability that a normal smoothed error exceeds the threshold.");
        define("detect.spot.calibration", DETECT, "spotCalibration", Type.INT, "200", Validator.between(10, 100_000),
                "Errors collected per series before the first threshold is fitted.");
        define("detect.spot.quantile", DETECT, "spotQuantile", Type.DOUBLE, "0.98", Validator.openInterval(0.5, 1.0),
                "Quantile of the calibration errors above which errors count as peaks for the tail fit.");
        define("detect.spot.max.peaks", DETECT, "spotMaxPeaks", Type.INT, "128", Validator.between(10, 100_000), "Peaks kept per series (bounded memory).");
        define("detect.spot.depth", DETECT, "spotDepth", Type.INT, "0", Validator.between(0, 10_000), "DSPOT drift depth; 0 for plain SPOT.");
        define("detect.spot.min.shape", DETECT, "spotMinShape", Type.DOUBLE, "0.0", Validator.between(-0.5, 0.5),
                "Lowest shape the tail fit may take: 0 admits exponential and heavier tails only (calm on Gaussian-like errors); -0.5 lets short, bounded tails fit as in the SPOT paper.");
        define("detect.episode.close.after", DETECT, "episodeCloseAfter", Type.INT, "5", Validator.between(1, 1_000_000),
                "Consecutive normal readings that close an open anomaly episode.");
        define("detect.stuck.readings", DETECT, "stuckReadings", Type.INT, "12", Validator.between(0, 4096),
                "Identical consecutive readings, in a series that normally varies, that count as a stuck sensor; 0 turns the rule off.");
        define("detect.swap.threshold", DETECT, "swapThreshold", SwapThreshold.class, SwapThreshold.RECALIBRATE,
                "On a model swap: carry the learned threshold over (it keeps adapting to the new model's errors), or recalibrate it"
                        + " from the new model's errors while the old threshold keeps alerting.");
        define("detect.feedback.raise", DETECT, "feedbackRaise", Type.DOUBLE, "1.25", Validator.between(1.01, 10),
                "What one false alarm reported on a series (POST /api/feedback) multiplies its threshold factor by; a confirmation"
                        + " divides it by the same, down to 1. The factor multiplies the alarm level (-log10 of the tail probability a"
                        + " reading needs to alert, 5 without feedback), so each false alarm asks for a rarer reading.");
        define("detect.feedback.max", DETECT, "feedbackMax", Type.DOUBLE, "4.0", Validator.between(1, 1000),
                "Largest threshold factor false alarms can raise a series' alarm level by.");
        define("detect.silence.after", DETECT, "silenceAfter", Type.DOUBLE, "10", Validator.between(0, 1_000_000),
                "A series that has not reported for this many times its typical gap between readings opens a SILENT episode on the"
                        + " anomalies topic; its next reading closes it. 0 turns silence detection off.");
        define("detect.silence.clock", DETECT, "silenceClock", SilenceClock.class, SilenceClock.WALL,
                "What silence and state.ttl.ms are measured on: the detector's wall clock since the series' last reading arrived"
                        + " (live streams), or the stream time of its task, the latest reading's timestamp, since the series' last"
                        + " timestamp (replays, backfills, seismo score and the demo, whose minutes pass faster than real ones).");
        // Trainer
        define("train.group.id", TRAIN, "groupId", Type.STRING, "seismo-trainer", Validator.nonEmpty(), "Consumer group of the trainer.");
        define("train.interval.ms", TRAIN, "intervalMs", Type.LONG, "30000", Validator.atLeast(100),
                "Time between retraining attempts, in milliseconds of train.clock.");
        define("train.clock", TRAIN, "clock", TrainClock.class, TrainClock.WALL,
                "What train.interval.ms is measured in: wall-clock time, or the readings' event time (replays and backfills:"
                        + " retraining then depends only on the data, checked after every reading).");
        define("train.min.samples.per.series", TRAIN, "minSamplesPerSeries", Type.INT, "200", Validator.between(8, 10_000_000),
                "Values a series needs in the trainer's buffer to be trained on.");
        define("train.min.new.samples", TRAIN, "minNewSamples", Type.LONG, "1000", Validator.atLeast(1),
                "New values the trainer must have received since the last training before it trains again.");
        define("train.min.new.fraction", TRAIN, "minNewFraction", Type.DOUBLE, "0.25", Validator.between(0, 10),
                "And at least this share of the values it holds (train.history per series) must be new: with many series a"
                        + " training run waits until a quarter of what it learns from has changed, not one value per series; 0 turns it off.");
        define("train.history", TRAIN, "history", Type.INT, "1000", Validator.between(16, 1_000_000), "Recent values the trainer keeps per series.");
        define("train.max.series", TRAIN, "maxSeries", Type.INT, "10000", Validator.between(1, 100_000_000),
                "Series the trainer keeps buffers for; beyond it, the least recently updated series is dropped.");
        define("train.max.sequences", TRAIN, "maxSequences", Type.INT, "64", Validator.between(1, 1_000_000), "Series sampled per training run.");
        define("train.window", TRAIN, "window", Type.INT, "32", Validator.between(2, 4096), "Truncated-BPTT window length.");
        define("train.batch.size", TRAIN, "batchSize", Type.INT, "8", Validator.between(1, 65_536), "Windows per mini-batch.");
        define("train.epochs", TRAIN, "epochs", Type.INT, "40", Validator.between(1, 100_000), "Maximum epochs per training run.");
        define("train.learning.rate", TRAIN, "learningRate", Type.DOUBLE, "0.01", Validator.openInterval(0, 1), "Adam learning rate.");
        define("train.clip.norm", TRAIN, "clipNorm", Type.DOUBLE, "1.0", Validator.openInterval(0, 1e9), "Global gradient-norm clipping.");
        define("train.patience", TRAIN, "patience", Type.INT, "6", Validator.between(1, 10_000), "Epochs without validation improvement before stopping early.");
        define("train.validation.fraction", TRAIN, "validationFraction", Type.DOUBLE, "0.2", Validator.openInterval(0, 0.9), "Share of each series held out for validation.");
        define("train.cold.start.history.ms", TRAIN, "coldStartHistoryMs", Type.LONG, "0", Validator.atLeast(0),
                "On a first start with no model, the trainer first reads this much history (by timestamp) from the readings topic and trains on it, instead of waiting for new readings; 0 turns it off.");
        define("train.validation.margin", TRAIN, "validationMargin", Type.DOUBLE, "0.02", Validator.between(0, 0.5),
                "A candidate is published only if its error on the held-out recent windows is at least this share below the model in force's (the last-value forecaster's before the first model).");
        define("train.dropout", TRAIN, "dropout", Type.DOUBLE, "0.0", Validator.between(0, 0.8),
                "Dropout on each recurrent layer's output going up, in training only.");
        define("train.schedule", TRAIN, "schedule", Type.STRING, "cosine:0.1", Validator.matches("constant|cosine:[0-9.]+|step:[0-9]+:[0-9.]+",
                "constant, cosine:FLOOR (decay to FLOOR x the rate) or step:EPOCHS:FACTOR"), "Learning-rate schedule over the epochs.");
        define("train.threads", TRAIN, "threads", Type.INT, "2", Validator.between(1, 16),
                "Threads computing a mini-batch's gradient: 2 or more give the same bits for every thread count (on any machine);"
                        + " 1 gives other bits, differing by rounding only.");
        define("train.seed", TRAIN, "seed", Type.LONG, "42", Validator.ANY, "Random seed of initialisation and shuffling.");
        define("train.backoff.max", TRAIN, "backoffMax", Type.INT, "1", Validator.between(1, 1024),
                "After each candidate the validation gate refuses in a row, the next training waits for twice the new readings and"
                        + " the time (train.min.new.samples, train.interval.ms), up to this factor; a published release resets it. 1 (the"
                        + " default): no backoff. 16 makes a long backfill's retraining several times cheaper, at a measured cost in"
                        + " detection (docs/performance.md).");
    }

    /** How the rows map onto SeismoConfig's records; checked here, so that a row or component left unbound fails at once. */
    private static final RecordBinding BINDING = RecordBinding.of(SeismoConfig.class, KEYS.values());

    private ConfigDef() {
    }

    /** All keys in table order. */
    public static List<Key> keys() {
        return List.copyOf(KEYS.values());
    }

    static Map<String, Key> table() {
        return Collections.unmodifiableMap(KEYS);
    }

    static RecordBinding binding() {
        return BINDING;
    }

    /**
     * The table as Markdown, one line per element: key, type, default and meaning. README.md carries it verbatim below its
     * "generated by ./seismo config --markdown" marker (ReadmeTest compares the two).
     */
    public static List<String> markdownTable() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("| key | type | default | meaning |");
        lines.add("|---|---|---|---|");
        for (Key k : KEYS.values()) {
            lines.add(String.format(Locale.ROOT, "| `%s` | %s | `%s` | %s |", k.name(), k.type().name().toLowerCase(Locale.ROOT),
                    k.defaultValue(), k.doc().replace("|", "\\|")));
        }
        return lines;
    }
}
