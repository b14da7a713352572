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
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Seismo's whole configuration, parsed and validated once from the {@link ConfigDef} table.
 * Precedence: properties file &lt; environment ({@code SEISMO_} + key upper-cased, dots as underscores) &lt; explicit overrides.
 */
public record SeismoConfig(Cluster cluster, Topics topics, Formats formats, Input input, Model model, Detect detect, Train train,
                           Http http, Map<String, String> kafka) {

    /** Where Kafka is and how the detector application runs on it. */
    public record Cluster(String bootstrapServers, String embeddedDataDir, String applicationId, String stateDir,
                          String processingGuarantee, long commitIntervalMs, int streamThreads, int standbyReplicas,
                          int threadReplacementsMax, long stateTtlMs, long sweepIntervalMs, int sweepMaxSeries, int rocksDbMemoryMb) {
        /** Whether idle series are deleted from the state store. */
        public boolean stateExpires() {
            return stateTtlMs > 0;
        }

        public boolean embedded() {
            return "embedded".equals(bootstrapServers);
        }

        public boolean exactlyOnce() {
            return "exactly_once_v2".equals(processingGuarantee);
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
    public record Formats(String serdeFormat, String registryUrl) {
        public static final String SINGLE_OBJECT = "single-object";
        public static final String REGISTRY = "registry";

        /** Whether the external topics use the Confluent wire format through {@link #registryUrl()}. */
        public boolean registry() {
            return REGISTRY.equals(serdeFormat);
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
                         int episodeCloseAfter, int stuckReadings, String swapThreshold, double feedbackRaise,
                         double feedbackMax, double silenceAfter, String silenceClock) {
        /** Whether a series that stops reporting opens a SILENT episode. */
        public boolean silenceWatched() {
            return silenceAfter > 0;
        }

        /** Whether silence is measured in stream time (the latest reading's timestamp) rather than on the wall clock. */
        public boolean silenceOnStreamTime() {
            return "stream".equals(silenceClock);
        }
    }

    /** The trainer. */
    public record Train(String groupId, long intervalMs, String clock, long coldStartHistoryMs, int minSamplesPerSeries, long minNewSamples,
                        double minNewFraction, int history,
                        int maxSeries, int maxSequences, int window, int batchSize, int epochs, double learningRate,
                        double clipNorm, int patience, double validationFraction, double validationMargin, double dropout,
                        String schedule, int threads, long seed, int backoffMax) {
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
        Map<String, String> raw = new LinkedHashMap<>();
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

    /** Keys from SEISMO_* environment variables: SEISMO_TOPIC_READINGS sets topic.readings. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (ConfigDef.Key key : ConfigDef.keys()) {
            byEnvName.put(envName(key.name()), key.name());
        }
        Map<String, String> out = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            String key = byEnvName.get(name);
            if (key != null) {
                out.put(key, value);
            } else if (name.startsWith("SEISMO_KAFKA_")) {
                out.put(ConfigDef.KAFKA_PREFIX + name.substring("SEISMO_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return out;
    }

    /** The environment variable that sets a key. */
    public static String envName(String key) {
        return "SEISMO_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Parses raw values; unknown keys (other than kafka.*) and invalid values are errors naming the key. */
    public static SeismoConfig parse(Map<String, String> raw) {
        Map<String, ConfigDef.Key> table = ConfigDef.table();
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
        for (ConfigDef.Key key : table.values()) {
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
        SeismoConfig config = new SeismoConfig(
                new Cluster(s(v, "bootstrap.servers"), s(v, "embedded.data.dir"), s(v, "application.id"), s(v, "state.dir"),
                        s(v, "processing.guarantee"), l(v, "commit.interval.ms"), i(v, "num.stream.threads"), i(v, "num.standby.replicas"),
                        i(v, "stream.thread.replacements.max"), l(v, "state.ttl.ms"), l(v, "state.sweep.interval.ms"),
                        i(v, "state.sweep.max.series"), i(v, "state.rocksdb.memory.mb")),
                new Topics(s(v, "topic.readings"), s(v, "topic.anomalies"), s(v, "topic.training"), s(v, "topic.models"),
                        s(v, "topic.deadletter"), s(v, "topic.scores").trim(), i(v, "topic.partitions"), i(v, "topic.replication.factor"),
                        i(v, "topic.models.max.message.bytes"), (Boolean) v.get("topics.create"), s(v, "topic.feedback")),
                new Formats(s(v, "serde.format"), s(v, "schema.registry.url").trim()),
                new Input(i(v, "input.max.key.bytes"), d(v, "input.max.abs.value"), l(v, "input.max.future.ms"),
                        l(v, "input.max.past.ms"), i(v, "input.deadletter.max.bytes")),
                new Model(s(v, "model.name"), s(v, "model.cell"), i(v, "model.hidden.size"), i(v, "model.layers"),
                        s(v, "model.inputs").replace(" ", ""), i(v, "model.window"), l(v, "model.check.interval.ms")),
                new Detect(i(v, "detect.warmup.readings"), i(v, "detect.scaler.horizon"), d(v, "detect.error.smoothing"),
                        d(v, "detect.baseline.alpha"), d(v, "detect.spot.risk"), i(v, "detect.spot.calibration"),
                        d(v, "detect.spot.quantile"), i(v, "detect.spot.max.peaks"), i(v, "detect.spot.depth"),
                        d(v, "detect.spot.min.shape"),
                        i(v, "detect.episode.close.after"), i(v, "detect.stuck.readings"), s(v, "detect.swap.threshold"),
                        d(v, "detect.feedback.raise"), d(v, "detect.feedback.max"), d(v, "detect.silence.after"),
                        s(v, "detect.silence.clock")),
                new Train(s(v, "train.group.id"), l(v, "train.interval.ms"), s(v, "train.clock"), l(v, "train.cold.start.history.ms"), i(v, "train.min.samples.per.series"),
                        l(v, "train.min.new.samples"), d(v, "train.min.new.fraction"), i(v, "train.history"), i(v, "train.max.series"),
                        i(v, "train.max.sequences"), i(v, "train.window"), i(v, "train.batch.size"), i(v, "train.epochs"),
                        d(v, "train.learning.rate"), d(v, "train.clip.norm"), i(v, "train.patience"),
                        d(v, "train.validation.fraction"), d(v, "train.validation.margin"), d(v, "train.dropout"), s(v, "train.schedule").trim(), i(v, "train.threads"),
                        l(v, "train.seed"), i(v, "train.backoff.max")),
                new Http((Boolean) v.get("http.enabled"), s(v, "http.host").trim(), i(v, "http.port"), s(v, "http.advertised.host").trim(),
                        i(v, "http.anomalies.kept"), s(v, "http.auth.token").trim(), i(v, "http.sse.max.clients")),
                kafka);
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

    /** A new config with some keys changed, validated again. */
    public SeismoConfig with(Map<String, String> changes) {
        Map<String, String> raw = new LinkedHashMap<>(toMap());
        raw.putAll(changes);
        return parse(raw);
    }

    /** Every key with its effective value (kafka.* included). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "bootstrap.servers", cluster.bootstrapServers);
        put(m, "embedded.data.dir", cluster.embeddedDataDir);
        put(m, "application.id", cluster.applicationId);
        put(m, "state.dir", cluster.stateDir);
        put(m, "processing.guarantee", cluster.processingGuarantee);
        put(m, "commit.interval.ms", cluster.commitIntervalMs);
        put(m, "num.stream.threads", cluster.streamThreads);
        put(m, "num.standby.replicas", cluster.standbyReplicas);
        put(m, "stream.thread.replacements.max", cluster.threadReplacementsMax);
        put(m, "state.ttl.ms", cluster.stateTtlMs);
        put(m, "state.sweep.interval.ms", cluster.sweepIntervalMs);
        put(m, "state.sweep.max.series", cluster.sweepMaxSeries);
        put(m, "state.rocksdb.memory.mb", cluster.rocksDbMemoryMb);
        put(m, "http.enabled", http.enabled);
        put(m, "http.host", http.host);
        put(m, "http.port", http.port);
        put(m, "http.advertised.host", http.advertisedHost);
        put(m, "http.anomalies.kept", http.anomaliesKept);
        put(m, "http.auth.token", http.authToken);
        put(m, "http.sse.max.clients", http.sseMaxClients);
        put(m, "topic.readings", topics.readings);
        put(m, "topic.anomalies", topics.anomalies);
        put(m, "topic.training", topics.training);
        put(m, "topic.models", topics.models);
        put(m, "topic.deadletter", topics.deadLetter);
        put(m, "topic.scores", topics.scores);
        put(m, "topic.feedback", topics.feedback);
        put(m, "topic.partitions", topics.partitions);
        put(m, "topic.replication.factor", topics.replicationFactor);
        put(m, "topic.models.max.message.bytes", topics.modelsMaxMessageBytes);
        put(m, "topics.create", topics.create);
        put(m, "serde.format", formats.serdeFormat);
        put(m, "schema.registry.url", formats.registryUrl);
        put(m, "input.max.key.bytes", input.maxKeyBytes);
        put(m, "input.max.abs.value", input.maxAbsValue);
        put(m, "input.max.future.ms", input.maxFutureMs);
        put(m, "input.max.past.ms", input.maxPastMs);
        put(m, "input.deadletter.max.bytes", input.deadLetterMaxBytes);
        put(m, "model.name", model.name);
        put(m, "model.cell", model.cell);
        put(m, "model.hidden.size", model.hiddenSize);
        put(m, "model.layers", model.layers);
        put(m, "model.inputs", model.inputs);
        put(m, "model.window", model.window);
        put(m, "model.check.interval.ms", model.checkIntervalMs);
        put(m, "detect.warmup.readings", detect.warmupReadings);
        put(m, "detect.scaler.horizon", detect.scalerHorizon);
        put(m, "detect.error.smoothing", detect.errorSmoothing);
        put(m, "detect.baseline.alpha", detect.baselineAlpha);
        put(m, "detect.spot.risk", detect.spotRisk);
        put(m, "detect.spot.calibration", detect.spotCalibration);
        put(m, "detect.spot.quantile", detect.spotQuantile);
        put(m, "detect.spot.max.peaks", detect.spotMaxPeaks);
        put(m, "detect.spot.depth", detect.spotDepth);
        put(m, "detect.spot.min.shape", detect.spotMinShape);
        put(m, "detect.episode.close.after", detect.episodeCloseAfter);
        put(m, "detect.stuck.readings", detect.stuckReadings);
        put(m, "detect.swap.threshold", detect.swapThreshold);
        put(m, "detect.feedback.raise", detect.feedbackRaise);
        put(m, "detect.feedback.max", detect.feedbackMax);
        put(m, "detect.silence.after", detect.silenceAfter);
        put(m, "detect.silence.clock", detect.silenceClock);
        put(m, "train.group.id", train.groupId);
        put(m, "train.interval.ms", train.intervalMs);
        put(m, "train.clock", train.clock);
        put(m, "train.cold.start.history.ms", train.coldStartHistoryMs);
        put(m, "train.min.samples.per.series", train.minSamplesPerSeries);
        put(m, "train.min.new.samples", train.minNewSamples);
        put(m, "train.min.new.fraction", train.minNewFraction);
        put(m, "train.history", train.history);
        put(m, "train.max.series", train.maxSeries);
        put(m, "train.max.sequences", train.maxSequences);
        put(m, "train.window", train.window);
        put(m, "train.batch.size", train.batchSize);
        put(m, "train.epochs", train.epochs);
        put(m, "train.learning.rate", train.learningRate);
        put(m, "train.clip.norm", train.clipNorm);
        put(m, "train.patience", train.patience);
        put(m, "train.validation.fraction", train.validationFraction);
        put(m, "train.validation.margin", train.validationMargin);
        put(m, "train.dropout", train.dropout);
        put(m, "train.schedule", train.schedule);
        put(m, "train.threads", train.threads);
        put(m, "train.seed", train.seed);
        put(m, "train.backoff.max", train.backoffMax);
        kafka.forEach((k, val) -> m.put(ConfigDef.KAFKA_PREFIX + k, val));
        return m;
    }

    /** Short stable hash of the settings that change detection results (model and detect keys), carried on every event. */
    public String detectorConfigId() {
        CRC32 crc = new CRC32();
        toMap().forEach((k, val) -> {
            if (k.startsWith("detect.") || k.startsWith("model.")) {
                crc.update((k + "=" + val + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static void put(Map<String, String> m, String k, Object value) {
        m.put(k, String.valueOf(value));
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

    private static String s(Map<String, Object> v, String k) {
        return (String) v.get(k);
    }

    private static int i(Map<String, Object> v, String k) {
        return (Integer) v.get(k);
    }

    private static long l(Map<String, Object> v, String k) {
        return (Long) v.get(k);
    }

    private static double d(Map<String, Object> v, String k) {
        return (Double) v.get(k);
    }
}
