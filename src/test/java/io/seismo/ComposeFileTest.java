package io.seismo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.seismo.api.SeismoMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml is validated here, never run (CI has no Docker engine): the compose tool accepts it, everything it
 * builds from or mounts is in the repository, the monitoring wiring agrees with itself, and the Grafana dashboard plots
 * only metrics Seismo really exposes, and every meter of Seismo's own.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/seismo.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldBeAcceptedByDockerCompose() throws Exception {
        Path tool = dockerCompose();
        ProcessBuilder pb = new ProcessBuilder(tool.toString(), "-f", COMPOSE.toString(), "config", "-q")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // Debian's docker-compose runs on Debian's python3; keep /usr/bin first so a pyenv python3 is not picked up.
        pb.environment().put("PATH", "/usr/bin:/bin" + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "docker-compose config did not finish");
        assertEquals(0, p.exitValue(), () -> tool + " -f " + COMPOSE + " config -q failed:\n" + stderr);
    }

    @Test
    void shouldBuildFromAndMountOnlyWhatIsInTheRepository() throws IOException {
        JsonNode compose = YAML.readTree(COMPOSE.toFile());
        Set<String> namedVolumes = new TreeSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
            String name = service.getKey();
            JsonNode build = service.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = Path.of(build.isTextual() ? build.asText() : build.path("context").asText("."));
                Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
                requireInRepository(name + " build context", context, missing);
                requireInRepository(name + " Dockerfile", dockerfile, missing);
                for (Path source : copySources(dockerfile)) {
                    requireInRepository(name + " Dockerfile COPY", context.resolve(source), missing);
                }
            }
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    requireInRepository(name + " bind mount", Path.of(source), missing);
                } else if (!namedVolumes.contains(source)) {
                    missing.add(name + " volume '" + source + "' is not declared under volumes:");
                }
            }
        }
        assertTrue(missing.isEmpty(), "docker-compose.yml refers to what the repository lacks: " + missing);
    }

    @Test
    void shouldWireSeismoPrometheusAndGrafanaTogether() throws IOException {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).path("services");
        JsonNode seismo = services.path("seismo");
        assertEquals("0.0.0.0", seismo.path("environment").path("SEISMO_HTTP_HOST").asText(),
                "inside a container Seismo must listen on every interface");
        assertEquals("8080", seismo.path("environment").path("SEISMO_HTTP_PORT").asText());
        assertEquals(List.of("127.0.0.1:8080:8080"), texts(seismo.path("ports")),
                "Seismo's port is published on the host's loopback only: feedback changes thresholds");
        assertTrue(texts(seismo.path("healthcheck").path("test")).stream().anyMatch(t -> t.endsWith(":8080/readyz")),
                "Seismo's healthcheck should ask /readyz");

        JsonNode prometheus = YAML.readTree(Path.of("deploy/prometheus/prometheus.yml").toFile());
        List<String> targets = new ArrayList<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("metrics_path").asText("/metrics").equals("/metrics")) {
                job.path("static_configs").forEach(c -> targets.addAll(texts(c.path("targets"))));
            }
        }
        assertTrue(targets.contains("seismo:8080"), "Prometheus does not scrape seismo:8080/metrics: " + targets);

        JsonNode datasources = YAML.readTree(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());
        assertEquals("http://prometheus:9090", datasources.path("datasources").path(0).path("url").asText());
        JsonNode providers = YAML.readTree(Path.of("deploy/grafana/provisioning/dashboards/seismo.yml").toFile());
        String dashboardsPath = providers.path("providers").path(0).path("options").path("path").asText();
        assertTrue(texts(services.path("grafana").path("volumes")).stream().anyMatch(v -> v.startsWith("./deploy/grafana/dashboards:"
                + dashboardsPath)), "the dashboard provider reads " + dashboardsPath + ", where the dashboards are not mounted");
        String datasourceUid = datasources.path("datasources").path(0).path("uid").asText();
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
            if (panel.has("targets")) {
                assertEquals(datasourceUid, panel.path("datasource").path("uid").asText(), "panel " + panel.path("title"));
            }
        }
    }

    @Test
    void shouldPlotOnlyMetricsSeismoExposesAndEveryOneOfItsOwn(@TempDir Path stateDir) throws IOException {
        Set<String> plotted = new TreeSet<>();
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = metricNames(target.path("expr").asText());
                assertFalse(names.isEmpty(), "panel " + panel.path("title") + " has a query without a metric");
                plotted.addAll(names);
            }
        }
        Set<String> exposed = exposedMetricNames(stateDir);
        Set<String> unknown = new TreeSet<>(plotted);
        unknown.removeAll(exposed);
        assertTrue(unknown.isEmpty(), "the dashboard plots metrics Seismo does not expose: " + unknown);
        Set<String> unplotted = new TreeSet<>();
        for (String name : exposed) {
            String family = name.replaceFirst("_(bucket|count|sum|max)$", "");
            if (name.startsWith("seismo_") && plotted.stream().noneMatch(p -> p.startsWith(family))) {
                unplotted.add(family);
            }
        }
        assertTrue(unplotted.isEmpty(), "Seismo meters without a dashboard panel: " + unplotted);
        assertTrue(plotted.stream().anyMatch(n -> n.startsWith("kafka_stream_")), "no Kafka Streams panel");
        assertTrue(plotted.stream().anyMatch(n -> n.startsWith("jvm_memory_")), "no JVM heap panel");
    }

    /** What GET /metrics carries: Seismo's registry with Kafka Streams' metrics bound, as the detector binds them. */
    private static Set<String> exposedMetricNames(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "compose-file-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        Set<String> names = new TreeSet<>();
        try (SeismoMetrics metrics = new SeismoMetrics(); KafkaStreams streams = new KafkaStreams(builder.build(), props);
             KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams)) {
            streamsMetrics.bindTo(metrics.registry());
            for (String line : metrics.scrape().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            streams.close(Duration.ofSeconds(5));
        }
        return names;
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "and", "or", "unless", "inf", "nan");

    /** The metric names of a PromQL expression: identifiers outside label matchers, ranges, strings and groupings, not called. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < bare.length() && Character.isWhitespace(bare.charAt(next))) {
                next++;
            }
            boolean called = next < bare.length() && bare.charAt(next) == '(';
            boolean inNumber = m.start() > 0 && (Character.isDigit(bare.charAt(m.start() - 1)) || bare.charAt(m.start() - 1) == '.');
            if (!called && !inNumber && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    @Test
    void shouldFindTheMetricNamesOfAQuery() {
        assertEquals(Set.of("seismo_step_latency_seconds_bucket"),
                metricNames("histogram_quantile(0.99, sum by (le) (rate(seismo_step_latency_seconds_bucket{job=\"seismo\"}[5m])))"));
        assertEquals(Set.of("jvm_memory_used_bytes", "jvm_memory_max_bytes"),
                metricNames("sum(jvm_memory_used_bytes{area=\"heap\"}) / sum without (id) (jvm_memory_max_bytes{area=\"heap\"}) > 1e3"));
        assertEquals(Set.of("seismo_model_age_seconds"), metricNames("max(seismo_model_age_seconds) offset 5m"));
    }

    private static Path dockerCompose() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/docker-compose")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "docker-compose"));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("docker-compose is not installed, and CI must validate docker-compose.yml (.ci/run installs it)");
        }
        Assumptions.abort("docker-compose is not installed: skipping its check of docker-compose.yml "
                + "(apt-get install docker-compose; CI=true makes this a failure)");
        throw new AssertionError("unreachable");
    }

    /** The local sources of a Dockerfile's COPY/ADD lines; build output under target/ is made by mvn package, after tests. */
    private static List<Path> copySources(Path dockerfile) throws IOException {
        List<Path> sources = new ArrayList<>();
        if (!Files.isRegularFile(dockerfile)) {
            return sources;
        }
        for (String line : Files.readAllLines(dockerfile)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && (words[0].equalsIgnoreCase("COPY") || words[0].equalsIgnoreCase("ADD"))) {
                for (int i = 1; i < words.length - 1; i++) {
                    if (!words[i].startsWith("--") && !words[i].startsWith("target/") && !words[i].contains("://")) {
                        sources.add(Path.of(words[i]));
                    }
                }
            }
        }
        return sources;
    }

    private static void requireInRepository(String what, Path path, List<String> missing) {
        Path repo = Path.of("").toAbsolutePath().normalize();
        Path resolved = repo.resolve(path).normalize();
        if (!resolved.startsWith(repo)) {
            missing.add(what + " " + path + " lies outside the repository");
        } else if (!Files.exists(resolved)) {
            missing.add(what + " " + path + " does not exist");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
