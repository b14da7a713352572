package io.seismo.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
                List<String> items = Arrays.stream(((String) v).split(",")).map(String::trim).toList();
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

    /**
     * The constants of an enum-valued key, each with the spelling configuration uses for it: by default its name in
     * lower case (an enum whose spelling differs says so). Print a choice by its spelling, not its name.
     */
    public interface Choice {
        String name();

        default String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The constant of {@code type} spelt {@code spelling}, if there is one. */
        static <E extends Enum<E> & Choice> Optional<E> of(Class<E> type, String spelling) {
            return Arrays.stream(type.getEnumConstants()).filter(c -> c.spelling().equals(spelling)).findFirst();
        }
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
     *
     * <p>Each row is a constant of this class named after its key ({@code application.id} is {@link #APPLICATION_ID}), typed
     * by the value it holds: code that changes a key names it through the constant ({@link Overrides}), so the key's name
     * is written here only.
     *
     * @param <T> the value's type: String, Integer, Long, Double, Boolean or the key's enum
     */
    public record Key<T>(String name, Type type, String defaultValue, Validator validator, String doc,
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

    private static final Map<String, Key<?>> KEYS = new LinkedHashMap<>();

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

    /** A {@link Type} with the Java type of its values, so that a row's constant is typed by what it holds. */
    private record Typed<T>(Type type) {
    }

    private static final Typed<String> STRING = new Typed<>(Type.STRING);
    private static final Typed<Integer> INT = new Typed<>(Type.INT);
    private static final Typed<Long> LONG = new Typed<>(Type.LONG);
    private static final Typed<Double> DOUBLE = new Typed<>(Type.DOUBLE);
    private static final Typed<Boolean> BOOLEAN = new Typed<>(Type.BOOLEAN);

    private static <T> Key<T> define(String name, Class<? extends Record> section, String component, Typed<T> type, String def,
                                     Validator validator, String doc) {
        return define(name, section, component, type, def, validator, Normaliser.NONE, doc);
    }

    private static <T> Key<T> define(String name, Class<? extends Record> section, String component, Typed<T> type, String def,
                                     Validator validator, Normaliser normaliser, String doc) {
        return add(new Key<>(name, type.type(), def, validator, doc, section, component, List.of(), normaliser));
    }

    /** An enum-valued key: its values are the spellings of {@code choices}' constants, in declaration order. */
    private static <E extends Enum<E> & Choice> Key<E> define(String name, Class<? extends Record> section, String component,
                                                              Class<E> choices, E def, String doc) {
        List<Choice> constants = List.of(choices.getEnumConstants());
        String[] spellings = constants.stream().map(Choice::spelling).toArray(String[]::new);
        return add(new Key<>(name, Type.STRING, def.spelling(), Validator.oneOf(spellings), doc, section, component, constants,
                Normaliser.NONE));
    }

    private static <T> Key<T> add(Key<T> key) {
        if (KEYS.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("configuration key " + key.name() + " is defined twice");
        }
        return key;
    }

    // Cluster and application
    public static final Key<String> BOOTSTRAP_SERVERS =
            define("bootstrap.servers", CLUSTER, "bootstrapServers", STRING, "embedded", Validator.nonEmpty(),
                    "Kafka bootstrap servers, or 'embedded' to start Seismo's in-process single-node KRaft broker.");
    public static final Key<String> EMBEDDED_DATA_DIR =
            define("embedded.data.dir", CLUSTER, "embeddedDataDir", STRING, "seismo-data/kafka", Validator.nonEmpty(),
                    "Data directory of the embedded broker; it survives restarts.");
    public static final Key<String> APPLICATION_ID =
            define("application.id", CLUSTER, "applicationId", STRING, "seismo-detector", Validator.nonEmpty(),
                    "Kafka Streams application id of the detector (consumer group, changelog topic prefix, transactional id prefix).");
    public static final Key<String> STATE_DIR =
            define("state.dir", CLUSTER, "stateDir", STRING, "seismo-data/state", Validator.nonEmpty(),
                    "Directory of the detector's RocksDB state stores.");
    public static final Key<ProcessingGuarantee> PROCESSING_GUARANTEE =
            define("processing.guarantee", CLUSTER, "processingGuarantee", ProcessingGuarantee.class, ProcessingGuarantee.EXACTLY_ONCE_V2,
                    "Kafka Streams processing guarantee.");
    public static final Key<Long> COMMIT_INTERVAL_MS =
            define("commit.interval.ms", CLUSTER, "commitIntervalMs", LONG, "100", Validator.atLeast(1),
                    "How often the detector commits (and, under exactly-once, closes a transaction), in milliseconds.");
    public static final Key<Integer> NUM_STREAM_THREADS =
            define("num.stream.threads", CLUSTER, "streamThreads", INT, "1", Validator.between(1, 64), "Stream threads per detector instance.");
    public static final Key<Integer> NUM_STANDBY_REPLICAS =
            define("num.standby.replicas", CLUSTER, "standbyReplicas", INT, "0", Validator.between(0, 8),
                    "Standby replicas of each state store, kept warm on other instances.");
    public static final Key<Integer> STREAM_THREAD_REPLACEMENTS_MAX =
            define("stream.thread.replacements.max", CLUSTER, "threadReplacementsMax", INT, "3", Validator.between(0, 1000),
                    "Stream threads a detector instance replaces after unexpected failures before it stops with one error line"
                            + " (a failure that repeats would otherwise be retried forever); /healthz turns unhealthy when the limit is reached.");
    public static final Key<Long> STATE_TTL_MS =
            define("state.ttl.ms", CLUSTER, "stateTtlMs", LONG, "0", Validator.atLeast(0),
                    "A series that has not reported for this long (on detect.silence.clock's clock) is deleted from the state store,"
                            + " with a tombstone on its changelog, and starts afresh if it reports again; 0 (the default) keeps every"
                            + " series forever.");
    public static final Key<Integer> STATE_ROCKSDB_MEMORY_MB =
            define("state.rocksdb.memory.mb", CLUSTER, "rocksDbMemoryMb", INT, "256", Validator.between(0, 1_000_000),
                    "Memory RocksDB may take for all of an instance's state stores together: one block cache (which also holds index"
                            + " and filter blocks) charged for the memtables too, with a Bloom filter per table; 0 leaves each store at"
                            + " Kafka Streams' defaults (a 50 MB cache and up to 48 MB of memtables per store, index and filters unbounded).");
    public static final Key<Long> STATE_SWEEP_INTERVAL_MS =
            define("state.sweep.interval.ms", CLUSTER, "sweepIntervalMs", LONG, "1000", Validator.atLeast(10),
                    "How often each detector task sweeps its series for silence and expiry, in milliseconds of wall-clock time.");
    public static final Key<Integer> STATE_SWEEP_MAX_SERIES =
            define("state.sweep.max.series", CLUSTER, "sweepMaxSeries", INT, "1000", Validator.between(1, 10_000_000),
                    "Series each sweep visits at most, continuing from where the last one stopped: the work per sweep is bounded.");
    // HTTP API and metrics
    public static final Key<Boolean> HTTP_ENABLED =
            define("http.enabled", HTTP, "enabled", BOOLEAN, "true", Validator.ANY,
                    "Whether seismo run (detector roles) and seismo demo serve the HTTP API, /healthz, /readyz and Prometheus /metrics.");
    public static final Key<String> HTTP_HOST =
            define("http.host", HTTP, "host", STRING, "127.0.0.1", Validator.nonEmpty(),
                    "Address the HTTP server binds to: localhost only by default; 0.0.0.0 for every interface (then set http.auth.token).");
    public static final Key<Integer> HTTP_PORT =
            define("http.port", HTTP, "port", INT, "8080", Validator.between(0, 65535),
                    "Port of the HTTP server; 0 picks a free one (the URL is printed at start). When the default 8080 is taken, a free"
                            + " port is used instead; any other port must be free.");
    public static final Key<String> HTTP_ADVERTISED_HOST =
            define("http.advertised.host", HTTP, "advertisedHost", STRING, "", Validator.ANY,
                    "Host name other detector instances use to reach this one's HTTP server (Kafka Streams application.server);"
                            + " empty means http.host, or this machine's host name when http.host is 0.0.0.0.");
    public static final Key<String> HTTP_AUTH_TOKEN =
            define("http.auth.token", HTTP, "authToken", STRING, "", Validator.matches("|[\\x21-\\x7e]{16,}", "empty or at least 16 printable characters without spaces"),
                    "Bearer token every non-GET HTTP call (feedback) must carry as 'Authorization: Bearer TOKEN'; empty (the default)"
                            + " accepts calls from anyone who can reach the port. Set it whenever http.host is not 127.0.0.1.");
    public static final Key<Integer> HTTP_SSE_MAX_CLIENTS =
            define("http.sse.max.clients", HTTP, "sseMaxClients", INT, "32", Validator.between(1, 10_000),
                    "Most clients the HTTP server streams anomaly events to at once (GET /api/stream); more are refused with 503.");
    public static final Key<Integer> HTTP_ANOMALIES_KEPT =
            define("http.anomalies.kept", HTTP, "anomaliesKept", INT, "1000", Validator.between(1, 1_000_000),
                    "Most recent anomaly events the HTTP server keeps in memory for GET /api/anomalies.");
    // Topics
    public static final Key<String> TOPIC_READINGS =
            define("topic.readings", TOPICS, "readings", STRING, "readings", Validator.nonEmpty(), "Input topic of Reading records, keyed by series.");
    public static final Key<String> TOPIC_ANOMALIES =
            define("topic.anomalies", TOPICS, "anomalies", STRING, "anomalies", Validator.nonEmpty(), "Output topic of AnomalyEvent records.");
    public static final Key<String> TOPIC_TRAINING =
            define("topic.training", TOPICS, "training", STRING, "training", Validator.nonEmpty(), "Side topic of readings judged normal, for the trainer.");
    public static final Key<String> TOPIC_MODELS =
            define("topic.models", TOPICS, "models", STRING, "models", Validator.nonEmpty(), "Compacted topic of ModelRelease records, keyed by model name.");
    public static final Key<String> TOPIC_DEADLETTER =
            define("topic.deadletter", TOPICS, "deadLetter", STRING, "deadletter", Validator.nonEmpty(), "Topic of DeadLetter records: bad input with the reason.");
    public static final Key<String> TOPIC_SCORES =
            define("topic.scores", TOPICS, "scores", STRING, "", Validator.ANY,
                    "Topic of ScoredReading records, one per reading (value, expected, band, threshold, score); empty for none. "
                            + "Backfills and seismo score always write one.");
    public static final Key<String> TOPIC_FEEDBACK =
            define("topic.feedback", TOPICS, "feedback", STRING, "feedback", Validator.nonEmpty(),
                    "Topic of Feedback records (operators' verdicts on alerts, from POST /api/feedback), keyed by series like the readings.");
    public static final Key<Integer> TOPIC_PARTITIONS =
            define("topic.partitions", TOPICS, "partitions", INT, "4", Validator.between(1, 10_000),
                    "Partitions of the topics Seismo creates (readings, anomalies, training, deadletter, feedback); models has one.");
    public static final Key<Integer> TOPIC_REPLICATION_FACTOR =
            define("topic.replication.factor", TOPICS, "replicationFactor", INT, "1", Validator.between(1, 16), "Replication factor of the topics Seismo creates.");
    public static final Key<Integer> TOPIC_MODELS_MAX_MESSAGE_BYTES =
            define("topic.models.max.message.bytes", TOPICS, "modelsMaxMessageBytes", INT, "8388608", Validator.atLeast(1_048_576),
                    "max.message.bytes of the models topic; must fit one release's weights.");
    public static final Key<Boolean> TOPICS_CREATE =
            define("topics.create", TOPICS, "create", BOOLEAN, "true", Validator.ANY,
                    "Whether Seismo creates its topics when they are missing (turn off on locked-down clusters).");
    // Record format
    public static final Key<SerdeFormat> SERDE_FORMAT =
            define("serde.format", FORMATS, "serdeFormat", SerdeFormat.class, SerdeFormat.SINGLE_OBJECT,
                    "Encoding of the Avro records on the readings, anomalies, scores and deadletter topics: single-object (Avro's own"
                            + " header and schema fingerprint; no registry needed) or registry (the Confluent wire format: magic byte 0 and a"
                            + " 4-byte schema id, schemas registered in schema.registry.url). The training and models topics and the state"
                            + " store stay single-object: only Seismo reads them.");
    public static final Key<String> SCHEMA_REGISTRY_URL =
            define("schema.registry.url", FORMATS, "registryUrl", STRING, "", Validator.matches("|https?://\\S+", "empty or an http(s) URL"),
                    "Base URL of the schema registry (Apicurio Registry, e.g. http://localhost:8081) when serde.format is registry;"
                            + " Seismo talks to its /apis/registry/v3 API, and its /apis/ccompat/v7 API serves Confluent clients.");
    // Bad input
    public static final Key<Integer> INPUT_MAX_KEY_BYTES =
            define("input.max.key.bytes", INPUT, "maxKeyBytes", INT, "1024", Validator.between(1, 1_000_000),
                    "Longest record key (series id) accepted, in UTF-8 bytes; longer keys are dead-lettered as KEY_TOO_LONG.");
    public static final Key<Double> INPUT_MAX_ABS_VALUE =
            define("input.max.abs.value", INPUT, "maxAbsValue", DOUBLE, "1e15", Validator.between(1, 1e20),
                    "Largest magnitude of a reading's value accepted; beyond it the reading is dead-lettered as VALUE_OUT_OF_RANGE and"
                            + " never reaches the series' scaler or state.");
    public static final Key<Long> INPUT_MAX_FUTURE_MS =
            define("input.max.future.ms", INPUT, "maxFutureMs", LONG, "3600000", Validator.atLeast(0),
                    "How far a reading's timestamp may lie ahead of its record's Kafka timestamp or the detector's wall clock (whichever"
                            + " is earlier), in milliseconds; beyond it the reading is dead-lettered as TIMESTAMP_OUT_OF_RANGE (0 turns the"
                            + " check off).");
    public static final Key<Long> INPUT_MAX_PAST_MS =
            define("input.max.past.ms", INPUT, "maxPastMs", LONG, "0", Validator.atLeast(0),
                    "How far a reading's timestamp may lie behind the detector's wall clock, in milliseconds; beyond it the reading is"
                            + " dead-lettered as TIMESTAMP_OUT_OF_RANGE. 0 (the default) turns the check off: replays and backfills"
                            + " carry old timestamps.");
    public static final Key<Integer> INPUT_DEADLETTER_MAX_BYTES =
            define("input.deadletter.max.bytes", INPUT, "deadLetterMaxBytes", INT, "262144", Validator.between(1024, 64 * 1_048_576),
                    "Original key and value bytes kept in a dead letter, each; longer ones are cut and the dead letter is marked"
                            + " truncated (so a dead letter always fits the topic's message size).");
    // Model
    public static final Key<String> MODEL_NAME =
            define("model.name", MODEL, "name", STRING, "default", Validator.nonEmpty(), "Name of the model; key of its releases on the models topic.");
    public static final Key<String> MODEL_CELL =
            define("model.cell", MODEL, "cell", STRING, "lstm", Validator.oneOf(CELLS),
                    "Recurrent cell: lstm, lstm-peephole (gates see the cell state), lstm-coupled (input gate = 1 - forget gate), gru, or rnn (plain tanh).");
    public static final Key<Integer> MODEL_HIDDEN_SIZE =
            define("model.hidden.size", MODEL, "hiddenSize", INT, "32", Validator.between(1, 1024), "Hidden units per layer.");
    public static final Key<Integer> MODEL_LAYERS =
            define("model.layers", MODEL, "layers", INT, "1", Validator.between(1, 3), "Stacked recurrent layers.");
    public static final Key<String> MODEL_INPUTS =
            define("model.inputs", MODEL, "inputs", STRING, "value,time-of-day,day-of-week", Validator.listOf("value", "value", "time-of-day", "day-of-week", "gap"),
                    Normaliser.WITHOUT_SPACES,
                    "Inputs per step: value (required), time-of-day and day-of-week (sin/cos of the UTC calendar; only where timestamps carry calendar meaning), gap (time since the previous reading relative to the series' typical gap).");
    public static final Key<Integer> MODEL_WINDOW =
            define("model.window", MODEL, "window", INT, "64", Validator.between(4, 4096),
                    "Recent raw values kept per series; a series' recurrent state is re-warmed from them when a new model arrives.");
    public static final Key<Long> MODEL_CHECK_INTERVAL_MS =
            define("model.check.interval.ms", MODEL, "checkIntervalMs", LONG, "1000", Validator.atLeast(10),
                    "How often each detector task also looks in the global model store on the wall clock, in milliseconds (a new release"
                            + " is otherwise taken up on the first reading after the store has it).");
    // Detection
    public static final Key<Integer> DETECT_WARMUP_READINGS =
            define("detect.warmup.readings", DETECT, "warmupReadings", INT, "30", Validator.between(2, 1_000_000),
                    "Readings per series before prediction errors are scored (the scaler settles first).");
    public static final Key<Integer> DETECT_SCALER_HORIZON =
            define("detect.scaler.horizon", DETECT, "scalerHorizon", INT, "500", Validator.between(10, 100_000_000),
                    "Readings after which the per-series scaler forgets old data exponentially (1/horizon per reading).");
    public static final Key<Double> DETECT_ERROR_SMOOTHING =
            define("detect.error.smoothing", DETECT, "errorSmoothing", DOUBLE, "1.0", Validator.between(0.01, 1.0),
                    "Weight of the newest absolute error in the exponentially smoothed error (1 = no smoothing).");
    public static final Key<Double> DETECT_BASELINE_ALPHA =
            define("detect.baseline.alpha", DETECT, "baselineAlpha", DOUBLE, "1.0", Validator.between(0.01, 1.0),
                    "Smoothing of the baseline forecaster used before a model exists (1 = last value).");
    public static final Key<Double> DETECT_SPOT_RISK =
            define("detect.spot.risk", DETECT, "spotRisk", DOUBLE, "0.0001", Validator.openInterval(0, 0.5),
                    "SPOT risk q: the target probability that a normal smoothed error exceeds the threshold.");
    public static final Key<Integer> DETECT_SPOT_CALIBRATION =
            define("detect.spot.calibration", DETECT, "spotCalibration", INT, "200", Validator.between(10, 100_000),
                    "Errors collected per series before the first threshold is fitted.");
    public static final Key<Double> DETECT_SPOT_QUANTILE =
            define("detect.spot.quantile", DETECT, "spotQuantile", DOUBLE, "0.98", Validator.openInterval(0.5, 1.0),
                    "Quantile of the calibration errors above which errors count as peaks for the tail fit.");
    public static final Key<Integer> DETECT_SPOT_MAX_PEAKS =
            define("detect.spot.max.peaks", DETECT, "spotMaxPeaks", INT, "128", Validator.between(10, 100_000), "Peaks kept per series (bounded memory).");
    public static final Key<Integer> DETECT_SPOT_DEPTH =
            define("detect.spot.depth", DETECT, "spotDepth", INT, "0", Validator.between(0, 10_000), "DSPOT drift depth; 0 for plain SPOT.");
    public static final Key<Double> DETECT_SPOT_MIN_SHAPE =
            define("detect.spot.min.shape", DETECT, "spotMinShape", DOUBLE, "0.0", Validator.between(-0.5, 0.5),
                    "Lowest shape the tail fit may take: 0 admits exponential and heavier tails only (calm on Gaussian-like errors); -0.5 lets short, bounded tails fit as in the SPOT paper.");
    public static final Key<Integer> DETECT_EPISODE_CLOSE_AFTER =
            define("detect.episode.close.after", DETECT, "episodeCloseAfter", INT, "5", Validator.between(1, 1_000_000),
                    "Consecutive normal readings that close an open anomaly episode.");
    public static final Key<Integer> DETECT_STUCK_READINGS =
            define("detect.stuck.readings", DETECT, "stuckReadings", INT, "12", Validator.between(0, 4096),
                    "Identical consecutive readings, in a series that normally varies, that count as a stuck sensor; 0 turns the rule off.");
    public static final Key<SwapThreshold> DETECT_SWAP_THRESHOLD =
            define("detect.swap.threshold", DETECT, "swapThreshold", SwapThreshold.class, SwapThreshold.RECALIBRATE,
                    "On a model swap: carry the learned threshold over (it keeps adapting to the new model's errors), or recalibrate it"
                            + " from the new model's errors while the old threshold keeps alerting.");
    public static final Key<Double> DETECT_FEEDBACK_RAISE =
            define("detect.feedback.raise", DETECT, "feedbackRaise", DOUBLE, "1.25", Validator.between(1.01, 10),
                    "What one false alarm reported on a series (POST /api/feedback) multiplies its threshold factor by; a confirmation"
                            + " divides it by the same, down to 1. The factor multiplies the alarm level (-log10 of the tail probability a"
                            + " reading needs to alert, 5 without feedback), so each false alarm asks for a rarer reading.");
    public static final Key<Double> DETECT_FEEDBACK_MAX =
            define("detect.feedback.max", DETECT, "feedbackMax", DOUBLE, "4.0", Validator.between(1, 1000),
                    "Largest threshold factor false alarms can raise a series' alarm level by.");
    public static final Key<Double> DETECT_SILENCE_AFTER =
            define("detect.silence.after", DETECT, "silenceAfter", DOUBLE, "10", Validator.between(0, 1_000_000),
                    "A series that has not reported for this many times its typical gap between readings opens a SILENT episode on the"
                            + " anomalies topic; its next reading closes it. 0 turns silence detection off.");
    public static final Key<SilenceClock> DETECT_SILENCE_CLOCK =
            define("detect.silence.clock", DETECT, "silenceClock", SilenceClock.class, SilenceClock.WALL,
                    "What silence and state.ttl.ms are measured on: the detector's wall clock since the series' last reading arrived"
                            + " (live streams), or the stream time of its task, the latest reading's timestamp, since the series' last"
                            + " timestamp (replays, backfills, seismo score and the demo, whose minutes pass faster than real ones).");
    // Trainer
    public static final Key<String> TRAIN_GROUP_ID =
            define("train.group.id", TRAIN, "groupId", STRING, "seismo-trainer", Validator.nonEmpty(), "Consumer group of the trainer.");
    public static final Key<Long> TRAIN_INTERVAL_MS =
            define("train.interval.ms", TRAIN, "intervalMs", LONG, "30000", Validator.atLeast(100),
                    "Time between retraining attempts, in milliseconds of train.clock.");
    public static final Key<TrainClock> TRAIN_CLOCK =
            define("train.clock", TRAIN, "clock", TrainClock.class, TrainClock.WALL,
                    "What train.interval.ms is measured in: wall-clock time, or the readings' event time (replays and backfills:"
                            + " retraining then depends only on the data, checked after every reading).");
    public static final Key<Integer> TRAIN_MIN_SAMPLES_PER_SERIES =
            define("train.min.samples.per.series", TRAIN, "minSamplesPerSeries", INT, "200", Validator.between(8, 10_000_000),
                    "Values a series needs in the trainer's buffer to be trained on.");
    public static final Key<Long> TRAIN_MIN_NEW_SAMPLES =
            define("train.min.new.samples", TRAIN, "minNewSamples", LONG, "1000", Validator.atLeast(1),
                    "New values the trainer must have received since the last training before it trains again.");
    public static final Key<Double> TRAIN_MIN_NEW_FRACTION =
            define("train.min.new.fraction", TRAIN, "minNewFraction", DOUBLE, "0.25", Validator.between(0, 10),
                    "And at least this share of the values it holds (train.history per series) must be new: with many series a"
                            + " training run waits until a quarter of what it learns from has changed, not one value per series; 0 turns it off.");
    public static final Key<Integer> TRAIN_HISTORY =
            define("train.history", TRAIN, "history", INT, "1000", Validator.between(16, 1_000_000), "Recent values the trainer keeps per series.");
    public static final Key<Integer> TRAIN_MAX_SERIES =
            define("train.max.series", TRAIN, "maxSeries", INT, "10000", Validator.between(1, 100_000_000),
                    "Series the trainer keeps buffers for; beyond it, the least recently updated series is dropped.");
    public static final Key<Integer> TRAIN_MAX_SEQUENCES =
            define("train.max.sequences", TRAIN, "maxSequences", INT, "64", Validator.between(1, 1_000_000), "Series sampled per training run.");
    public static final Key<Integer> TRAIN_WINDOW =
            define("train.window", TRAIN, "window", INT, "32", Validator.between(2, 4096), "Truncated-BPTT window length.");
    public static final Key<Integer> TRAIN_BATCH_SIZE =
            define("train.batch.size", TRAIN, "batchSize", INT, "8", Validator.between(1, 65_536), "Windows per mini-batch.");
    public static final Key<Integer> TRAIN_EPOCHS =
            define("train.epochs", TRAIN, "epochs", INT, "40", Validator.between(1, 100_000), "Maximum epochs per training run.");
    public static final Key<Double> TRAIN_LEARNING_RATE =
            define("train.learning.rate", TRAIN, "learningRate", DOUBLE, "0.01", Validator.openInterval(0, 1), "Adam learning rate.");
    public static final Key<Double> TRAIN_CLIP_NORM =
            define("train.clip.norm", TRAIN, "clipNorm", DOUBLE, "1.0", Validator.openInterval(0, 1e9), "Global gradient-norm clipping.");
    public static final Key<Integer> TRAIN_PATIENCE =
            define("train.patience", TRAIN, "patience", INT, "6", Validator.between(1, 10_000), "Epochs without validation improvement before stopping early.");
    public static final Key<Double> TRAIN_VALIDATION_FRACTION =
            define("train.validation.fraction", TRAIN, "validationFraction", DOUBLE, "0.2", Validator.openInterval(0, 0.9), "Share of each series held out for validation.");
    public static final Key<Long> TRAIN_COLD_START_HISTORY_MS =
            define("train.cold.start.history.ms", TRAIN, "coldStartHistoryMs", LONG, "0", Validator.atLeast(0),
                    "On a first start with no model, the trainer first reads this much history (by timestamp) from the readings topic and trains on it, instead of waiting for new readings; 0 turns it off.");
    public static final Key<Double> TRAIN_VALIDATION_MARGIN =
            define("train.validation.margin", TRAIN, "validationMargin", DOUBLE, "0.02", Validator.between(0, 0.5),
                    "A candidate is published only if its error on the held-out recent windows is at least this share below the model in force's (the last-value forecaster's before the first model).");
    public static final Key<Double> TRAIN_DROPOUT =
            define("train.dropout", TRAIN, "dropout", DOUBLE, "0.0", Validator.between(0, 0.8),
                    "Dropout on each recurrent layer's output going up, in training only.");
    public static final Key<String> TRAIN_SCHEDULE =
            define("train.schedule", TRAIN, "schedule", STRING, "cosine:0.1", Validator.matches("constant|cosine:[0-9.]+|step:[0-9]+:[0-9.]+",
                    "constant, cosine:FLOOR (decay to FLOOR x the rate) or step:EPOCHS:FACTOR"), "Learning-rate schedule over the epochs.");
    public static final Key<Integer> TRAIN_THREADS =
            define("train.threads", TRAIN, "threads", INT, "2", Validator.between(1, 16),
                    "Threads computing a mini-batch's gradient: 2 or more give the same bits for every thread count (on any machine);"
                            + " 1 gives other bits, differing by rounding only.");
    public static final Key<Long> TRAIN_SEED =
            define("train.seed", TRAIN, "seed", LONG, "42", Validator.ANY, "Random seed of initialisation and shuffling.");
    public static final Key<Integer> TRAIN_BACKOFF_MAX =
            define("train.backoff.max", TRAIN, "backoffMax", INT, "1", Validator.between(1, 1024),
                    "After each candidate the validation gate refuses in a row, the next training waits for twice the new readings and"
                            + " the time (train.min.new.samples, train.interval.ms), up to this factor; a published release resets it. 1 (the"
                            + " default): no backoff. 16 makes a long backfill's retraining several times cheaper, at a measured cost in"
                            + " detection (docs/performance.md).");

    /** How the rows map onto SeismoConfig's records; checked here, so that a row or component left unbound fails at once. */
    private static final RecordBinding BINDING = RecordBinding.of(SeismoConfig.class, KEYS.values());

    private ConfigDef() {
    }

    /** All keys in table order. */
    public static List<Key<?>> keys() {
        return List.copyOf(KEYS.values());
    }

    static Map<String, Key<?>> table() {
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
        for (Key<?> k : KEYS.values()) {
            lines.add(String.format(Locale.ROOT, "| `%s` | %s | `%s` | %s |", k.name(), k.type().name().toLowerCase(Locale.ROOT),
                    k.defaultValue(), k.doc().replace("|", "\\|")));
        }
        return lines;
    }
}
