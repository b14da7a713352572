package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.Severity;
import io.seismo.detect.Verdict;
import io.seismo.stream.DetectorMetrics;
import org.junit.jupiter.api.Test;

/** The server before a detector is attached, with no broker behind it: health, readiness, errors as JSON. */
class ApiServerTest {
    private static final SeismoConfig CONFIG = SeismoConfig.parse(Map.of("bootstrap.servers", "localhost:1", "http.port", "0"));
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswerHealthButNotReadinessUntilADetectorIsAttached() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            assertEquals("127.0.0.1:" + server.port(), server.applicationServer());
            assertEquals(200, get(server, "healthz").statusCode());
            HttpResponse<String> ready = get(server, "readyz");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"reason\":\"the detector has not started\""), ready.body());
            assertEquals(503, get(server, "api/series/pump-1").statusCode());
            HttpResponse<String> bad = get(server, "api/series?limit=-1");
            assertEquals(400, bad.statusCode(), "parameters are checked first");
            assertTrue(bad.body().contains("limit must be an integer from 1 to 1000"), bad.body());
            assertEquals("application/json", bad.headers().firstValue("content-type").orElse("").split(";")[0]);
            assertEquals(200, get(server, "api/anomalies").statusCode());
            assertEquals(404, get(server, "no/such/page").statusCode());
            HttpResponse<String> metricsText = get(server, "metrics");
            assertEquals(200, metricsText.statusCode());
            assertTrue(metricsText.body().contains("seismo_readings_judged_total 0.0"), metricsText.body());
        }
    }

    @Test
    void shouldServeTheDashboardWithEveryFileItLoads() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            HttpResponse<String> page = get(server, "");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers().toString());
            List<String> loaded = new ArrayList<>();
            Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
            while (m.find()) {
                loaded.add(m.group(1));
            }
            assertTrue(loaded.stream().anyMatch(p -> p.endsWith("uPlot.iife.min.js")), loaded.toString());
            for (String path : loaded) {
                assertEquals(200, get(server, path).statusCode(), "the page loads " + path);
            }
            assertEquals(200, get(server, "api/anomalies/top").statusCode());
        }
    }

    @Test
    void shouldStreamTheJudgedReadingsOfAWatchedSeriesOnly() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            DetectorMetrics hook = server.detectorMetrics();
            assertFalse(hook.watches("pump-1"), "nothing is watched before a client subscribes");
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/stream?series=pump-1"))
                            .header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse("").split(";")[0]);
            BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.put(line);
                    }
                } catch (Exception closed) {
                    // The server stopped.
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertEquals("event: history", next(lines, "event:"));
            assertTrue(next(lines, "data:").contains("\"points\":[]"));
            assertTrue(hook.watches("pump-1"));
            assertFalse(hook.watches("pump-2"));
            hook.judged("pump-1", 1_000L, new Verdict(true, 95, 50, 45, 55, 3.2, 1.5, 0.9, true, Severity.HIGH,
                    EpisodeTransition.OPENED, 0, io.seismo.detect.Reason.PREDICTION_ERROR), true);
            assertEquals("event: point", next(lines, "event:"));
            String point = next(lines, "data:");
            assertTrue(point.contains("\"t\":1000") && point.contains("\"value\":95.0") && point.contains("\"anomalous\":true")
                    && point.contains("\"transition\":\"OPENED\""), point);
            assertEquals("event: anomaly", next(lines, "event:"), "a reading that opens an episode is also an anomaly event");
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/stream"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(bad.body().contains("series is required"), bad.body());
        }
    }

    @Test
    void shouldRefuseAPortThatIsTakenUnlessItIsTheDefault() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             SeismoMetrics metrics = new SeismoMetrics()) {
            SeismoConfig config = CONFIG.with(Map.of("http.port", Integer.toString(taken.getLocalPort())));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiServer.start(config, metrics, ModelLineage.NONE));
            assertTrue(e.getMessage().startsWith("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    /** The next line starting with {@code prefix}, waiting at most ten seconds. */
    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (String line = ""; ; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
            line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within 10 s");
            }
        }
    }

    @Test
    void shouldRefuseBadFeedbackWithTheReasonBeforeLookingForTheSeries() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            for (String[] bad : new String[][] {
                {"not json", "not JSON"},
                {"[1, 2]", "JSON object"},
                {"{\"timestamp\": 1, \"verdict\": \"confirmed\"}", "series is required"},
                {"{\"series\": \"pump-1\", \"verdict\": \"confirmed\"}", "timestamp is required"},
                {"{\"series\": \"pump-1\", \"timestamp\": \"yesterday\", \"verdict\": \"confirmed\"}", "timestamp is required"},
                {"{\"series\": \"pump-1\", \"timestamp\": 1, \"verdict\": \"maybe\"}", "verdict must be"},
                {"{\"series\": \"pump-1\", \"timestamp\": 1, \"verdict\": \"confirmed\", \"note\": 7}", "note must be a string"}}) {
                HttpResponse<String> r = post(server, "api/feedback", bad[0]);
                assertEquals(400, r.statusCode(), bad[0] + " -> " + r.body());
                assertTrue(r.body().contains(bad[1]), r.body());
                assertEquals("application/json", r.headers().firstValue("content-type").orElse("").split(";")[0]);
            }
            HttpResponse<String> early = post(server, "api/feedback",
                    "{\"series\": \"pump-1\", \"timestamp\": \"2026-11-27T10:00:00Z\", \"verdict\": \"FALSE_ALARM\"}");
            assertEquals(503, early.statusCode(), "a valid verdict needs the detector to know the series: " + early.body());
        }
    }

    private HttpResponse<String> post(ApiServer server, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
