package io.seismo.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Seismo's whole configuration, parsed and validated once from the {@link ConfigDef} table, whose rows say which
 * component of which section record each key fills.
 * Precedence: built-in defaults &lt; a command's own defaults &lt; properties file &lt; environment ({@code SEISMO_} + key
 * upper-cased, dots as underscores) &lt; explicit overrides ({@code --set}).
 */
public record SeismoConfig(Cluster cluster, Topics topics, Formats formats, Input input, Model model, Detect detect, Train train,
                           Http http, Map<String, String> kafka) {

    /** Where Kafka is and how the detector application runs on it. */
    public record Cluster(String bootstrapServers, String embeddedDataDir, String applicationId, String stateDir,
                          ProcessingGuarantee processingGuarantee, long commitIntervalMs, int streamThreads, int standbyReplicas,
                          int threadReplacementsMax, long stateTtlMs, long sweepIntervalMs, int sweepMaxSeries, int rocksDbMemoryMb) {
        /** Whether idle series are deleted from the state store. */
        public boolean stateExpires() {
            return stateTtlMs > 0;
        }

        public boolean embedded() {
            return "embedded".equals(bootstrapServers);
        }

        public boolean exactlyOnce() {
            return processingGuarantee == ProcessingGuarantee.EXACTLY_ONCE_V2;
        }
    }

    /** Topic names and how Seismo creates them. */
    public record Topics(String readings, String anomalies, String training, String models, String deadLetter, String scores,
                         int partitions, int replicationFactor, int modelsMaxMessageBytes, boolean create, String feedback) {
        /** Whether the detector writes a scored record for every reading. */
        public boolean scoresEnabled() {
            return !scores.isEmpty();
        }
    }

    /**
     * How Avro records are encoded on the topics users read and write (readings, anomalies, scores, dead letters): Avro
     * single-object encoding, or the Confluent wire format with schemas in a registry.
     */
    public record Formats(SerdeFormat serdeFormat, String registryUrl) {
        /** Whether the external topics use the Confluent wire format through {@link #registryUrl()}. */
        public boolean registry() {
            return serdeFormat == SerdeFormat.REGISTRY;
        }

        /** The registry's v3 API, which Apicurio's serdes talk to. */
        public String registryApiUrl() {
            return stripSlash(registryUrl) + "/apis/registry/v3";
        }

        /** The registry's Confluent-compatible API, for Confluent clients. */
        public String confluentApiUrl() {
            return stripSlash(registryUrl) + "/apis/ccompat/v7";
        }

        private static String stripSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /** What the detector accepts as a reading; see docs/reliability.md for what happens to the rest. */
    public record Input(int maxKeyBytes, double maxAbsValue, long maxFutureMs, long maxPastMs, int deadLetterMaxBytes) {
    }

    /** The recurrent network. */
    public record Model(String name, String cell, int hiddenSize, int layers, String inputs, int window, long checkIntervalMs) {
    }

    /** Per-series detection settings. */
    public record Detect(int warmupReadings, int scalerHorizon, double errorSmoothing, double baselineAlpha,
                         double spotRisk, int spotCalibration, double spotQuantile, int spotMaxPeaks, int spotDepth, double spotMinShape,
                         int episodeCloseAfter, int stuckReadings, SwapThreshold swapThreshold, double feedbackRaise,
                         double feedbackMax, double silenceAfter, SilenceClock silenceClock) {
        /** Whether a series that stops reporting opens a SILENT episode. */
        public boolean silenceWatched() {
            return silenceAfter > 0;
        }

        /** Whether silence is measured in stream time (the latest reading's timestamp) rather than on the wall clock. */
        public boolean silenceOnStreamTime() {
            return silenceClock == SilenceClock.STREAM;
        }

        /** Whether a model swap recalibrates the learned threshold rather than carrying it over. */
        public boolean recalibrateOnSwap() {
            return swapThreshold == SwapThreshold.RECALIBRATE;
        }
    }

    /** The trainer. */
    public record Train(String groupId, long intervalMs, TrainClock clock, long coldStartHistoryMs, int minSamplesPerSeries, long minNewSamples,
                        double minNewFraction, int history,
                        int maxSeries, int maxSequences, int window, int batchSize, int epochs, double learningRate,
                        double clipNorm, int patience, double validationFraction, double validationMargin, double dropout,
                        String schedule, int threads, long seed, int backoffMax) {
        /** Whether train.interval.ms is measured in the readings' event time rather than on the wall clock. */
        public boolean onEventTime() {
            return clock == TrainClock.EVENT;
        }
    }

    /** The HTTP server of the API, health checks and metrics. */
    public record Http(boolean enabled, String host, int port, String advertisedHost, int anomaliesKept, String authToken,
                       int sseMaxClients) {
        /** Whether non-GET calls must carry the bearer token. */
        public boolean authRequired() {
            return !authToken.isEmpty();
        }

        @Override
        public String toString() {
            return "Http[enabled=" + enabled + ", host=" + host + ", port=" + port + ", advertisedHost=" + advertisedHost
                    + ", anomaliesKept=" + anomaliesKept + ", authToken=" + (authToken.isEmpty() ? "" : "(set)")
                    + ", sseMaxClients=" + sseMaxClients + "]";
        }

        /** The port the server takes by default (and gives up for a free one when it is taken). */
        public static final int DEFAULT_PORT = 8080;
    }

    public SeismoConfig {
        kafka = Map.copyOf(kafka);
    }

    /** The defaults of every key. */
    public static SeismoConfig defaults() {
        return parse(Map.of());
    }

    /** Loads file (may be null) &lt; environment &lt; overrides, then parses. */
    public static SeismoConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        return load(Map.of(), file, environment, overrides);
    }

    /**
     * Loads a command's own defaults &lt; file (may be null) &lt; environment &lt; overrides, then parses: the command's
     * defaults replace the built-in ones, and whatever the user set in the file, the environment or the overrides wins.
     */
    public static SeismoConfig load(Map<String, String> commandDefaults, Path file, Map<String, String> environment,
                                    Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>(commandDefaults);
        if (file != null) {
            raw.putAll(readProperties(file));
        }
        raw.putAll(fromEnvironment(environment));
        raw.putAll(overrides);
        return parse(raw);
    }

    /** Reads a properties file into a map; a missing or unreadable file is a ConfigException. */
    public static Map<String, String> readProperties(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }

    /**
     * {@code SEISMO_} variables that are not configuration, and the one place they are listed: {@code SEISMO_JAVA_OPTS},
     * the JVM options of the {@code seismo} launcher script; {@code SEISMO_JAVA21}, the Java 21+ the integration tests
     * start the Apicurio registry with. Every other {@code SEISMO_} variable must name a key.
     */
    public static final Set<String> NOT_CONFIGURATION = Set.of("SEISMO_JAVA_OPTS", "SEISMO_JAVA21");

    private static final String ENV_PREFIX = "SEISMO_";
    private static final String ENV_KAFKA_PREFIX = "SEISMO_KAFKA_";

    /**
     * Keys from SEISMO_* environment variables: SEISMO_TOPIC_READINGS sets topic.readings, SEISMO_KAFKA_SASL_MECHANISM
     * kafka.sasl.mechanism. A SEISMO_ variable that names no key (and is not in {@link #NOT_CONFIGURATION}) is an error,
     * as an unknown key in a file is; variables without the prefix are not Seismo's and are ignored.
     */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (ConfigDef.Key<?> key : ConfigDef.keys()) {
            byEnvName.put(envName(key.name()), key.name());
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        new TreeMap<>(environment).forEach((name, value) -> {
            String key = byEnvName.get(name);
            if (key != null) {
                out.put(key, value);
            } else if (name.startsWith(ENV_KAFKA_PREFIX)) {
                out.put(ConfigDef.KAFKA_PREFIX + name.substring(ENV_KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            } else if (name.startsWith(ENV_PREFIX) && !NOT_CONFIGURATION.contains(name)) {
                problems.add("unknown configuration environment variable '" + name + "'" + suggestion(name, byEnvName.keySet()));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return out;
    }

    /** The environment variable that sets a key. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Parses raw values; unknown keys (other than kafka.*) and invalid values are errors naming the key. */
    public static SeismoConfig parse(Map<String, String> raw) {
        Map<String, ConfigDef.Key<?>> table = ConfigDef.table();
        Map<String, String> kafka = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String k = e.getKey().trim();
            if (k.startsWith(ConfigDef.KAFKA_PREFIX)) {
                kafka.put(k.substring(ConfigDef.KAFKA_PREFIX.length()), e.getValue().trim());
            } else if (!table.containsKey(k)) {
                problems.add("unknown configuration key '" + k + "'" + suggestion(k, table.keySet()));
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (ConfigDef.Key<?> key : table.values()) {
            String value = raw.getOrDefault(key.name(), key.defaultValue());
            try {
                v.put(key.name(), key.parse(value));
            } catch (ConfigException ex) {
                problems.add(ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        SeismoConfig config = (SeismoConfig) ConfigDef.binding().build(v, kafka);
        config.checkConsistency();
        return config;
    }

    private void checkConsistency() {
        if (formats.registry() && formats.registryUrl.isEmpty()) {
            throw new ConfigException("serde.format is registry: set schema.registry.url to the registry's base URL"
                    + " (e.g. http://localhost:8081)");
        }
        List<String> names = new java.util.ArrayList<>(List.of(topics.readings, topics.anomalies, topics.training, topics.models,
                topics.deadLetter, topics.feedback));
        if (topics.scoresEnabled()) {
            names.add(topics.scores);
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new ConfigException("topic.* names must all differ, got " + names);
        }
        if (detect.stuckReadings != 0 && (detect.stuckReadings < 3 || detect.stuckReadings > model.window)) {
            throw new ConfigException("detect.stuck.readings (" + detect.stuckReadings + ") must be 0 or between 3 and model.window ("
                    + model.window + ")");
        }
        if (detect.spotRisk >= 1 - detect.spotQuantile) {
            throw new ConfigException("detect.spot.risk (" + detect.spotRisk + ") must be below 1 - detect.spot.quantile ("
                    + (1 - detect.spotQuantile) + "): the threshold extrapolates beyond that quantile");
        }
        if (train.minSamplesPerSeries <= train.window) {
            throw new ConfigException("train.min.samples.per.series (" + train.minSamplesPerSeries
                    + ") must exceed train.window (" + train.window + ")");
        }
        if (train.history < train.minSamplesPerSeries) {
            throw new ConfigException("train.history (" + train.history + ") must be at least train.min.samples.per.series ("
                    + train.minSamplesPerSeries + ")");
        }
    }

    /**
     * Settings every Kafka client of Seismo starts from: the bootstrap servers and the kafka.* pass-through keys.
     *
     * @throws ConfigException when the bootstrap servers are still 'embedded' (the caller must start the broker first)
     */
    public Map<String, Object> clientConfig() {
        if (cluster.embedded()) {
            throw new ConfigException("bootstrap.servers is 'embedded': start the embedded broker and set its address first");
        }
        Map<String, Object> m = new LinkedHashMap<>(kafka);
        m.put("bootstrap.servers", cluster.bootstrapServers);
        return m;
    }

    /** A new config with some keys changed, given as a file would give them, validated again. */
    public SeismoConfig with(Map<String, String> changes) {
        Map<String, String> raw = new LinkedHashMap<>(toMap());
        raw.putAll(changes);
        return parse(raw);
    }

    /** A new config with some keys changed, validated again. */
    public SeismoConfig with(Overrides changes) {
        return with(changes.asMap());
    }

    /** Every key with its effective value as configuration writes it, in table order, then the kafka.* keys. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        RecordBinding binding = ConfigDef.binding();
        for (ConfigDef.Key<?> key : ConfigDef.keys()) {
            m.put(key.name(), key.format(binding.value(this, key.name())));
        }
        kafka.forEach((k, val) -> m.put(ConfigDef.KAFKA_PREFIX + k, val));
        return m;
    }

    /** The keys of one section ({@code Model.class}: every model.* key) with their effective values, in table order. */
    public Map<String, String> toMap(Class<? extends Record> section) {
        Map<String, String> m = new LinkedHashMap<>();
        RecordBinding binding = ConfigDef.binding();
        for (ConfigDef.Key<?> key : ConfigDef.keys()) {
            if (key.section() == section) {
                m.put(key.name(), key.format(binding.value(this, key.name())));
            }
        }
        return m;
    }

    /**
     * Short stable hash of the settings that change detection results (model and detect keys), carried on every event:
     * a CRC-32 of their "key=value" lines in table order. Reordering those rows changes every id (a test pins the defaults').
     */
    public String detectorConfigId() {
        CRC32 crc = new CRC32();
        toMap().forEach((k, val) -> {
            if (k.startsWith("detect.") || k.startsWith("model.")) {
                crc.update((k + "=" + val + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static String suggestion(String unknown, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int dist = editDistance(unknown, k);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
