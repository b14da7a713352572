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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.seismo.config.SeismoConfig;
import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.Reason;
import io.seismo.detect.SeverityBand;
import io.seismo.detect.Verdict;
import io.seismo.stream.DetectorMetrics;
import io.seismo.stream.StoreQueries.SeriesSnapshot;
import org.junit.jupiter.api.Test;

/** The server before a detector is attached, with no broker behind it: health, readiness, errors as JSON. */
class ApiServerTest {
    private static final SeismoConfig CONFIG = SeismoConfig.parse(Map.of("bootstrap.servers", "localhost:1", "http.port", "0"));
    private static final String TOKEN = "test-token-5f1c9a7e";
    private static final SeismoConfig WITH_TOKEN = CONFIG.with(Map.of("http.auth.token", TOKEN));
    /** The latest episode of the series the feedback tests know: from 10:00 to 10:05, no verdict yet. */
    private static final long EPISODE_START = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    private static final long EPISODE_END = Instant.parse("2026-11-27T10:05:00Z").toEpochMilli();
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
            hook.judged("pump-1", 1_000L, new Verdict(true, 95, 50, 45, 55, 3.2, 1.5, 0.9, true, SeverityBand.HIGH,
                    EpisodeTransition.OPENED, 0, Reason.PREDICTION_ERROR), true);
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

    @Test
    void shouldRequireTheBearerTokenForEveryCallThatIsNotARead() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(WITH_TOKEN, metrics, ModelLineage.NONE)) {
            server.lookUpSeriesWith(ApiServerTest::knownSeries);
            String verdict = "{\"series\": \"pump-1\", \"timestamp\": \"2026-11-27T09:00:00Z\", \"verdict\": \"false_alarm\"}";
            HttpResponse<String> none = post(server, "api/feedback", verdict);
            assertEquals(401, none.statusCode(), none.body());
            assertEquals("Bearer realm=\"seismo\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertTrue(none.body().contains("Authorization: Bearer"), none.body());
            assertEquals("application/json", none.headers().firstValue("content-type").orElse("").split(";")[0]);
            for (String wrong : new String[] {"Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Basic " + TOKEN, TOKEN}) {
                HttpResponse<String> r = post(server, "api/feedback", verdict, "Authorization", wrong);
                assertEquals(401, r.statusCode(), wrong + " -> " + r.body());
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"seismo\""), wrong);
                assertFalse(r.body().contains(TOKEN), "the token is never echoed");
            }
            assertTrue(post(server, "api/feedback", verdict, "Authorization", "Bearer " + TOKEN + "x").headers()
                    .firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
            HttpResponse<String> form = post(server, "api/feedback", "series=pump-1", "Content-Type", "application/x-www-form-urlencoded");
            assertEquals(401, form.statusCode(), "authentication comes first: " + form.body());
            assertEquals(401, send(server, "DELETE", "api/feedback", null).statusCode(), "any method but GET, HEAD, OPTIONS");
            assertEquals(401, send(server, "POST", "no/such/endpoint", "{}").statusCode(), "any path");

            // With the token, the call reaches the rules of feedback.
            HttpResponse<String> outside = post(server, "api/feedback", verdict, "Authorization", "Bearer " + TOKEN);
            assertEquals(409, outside.statusCode(), outside.body());
            HttpResponse<String> unknown = post(server, "api/feedback", verdict.replace("pump-1", "pump-9"), "authorization", "bearer " + TOKEN);
            assertEquals(404, unknown.statusCode(), "the scheme's case does not matter: " + unknown.body());
            assertEquals(400, post(server, "api/feedback", "{}", "Authorization", "Bearer  " + TOKEN + " ").statusCode());

            // Reads stay open: dashboards and Prometheus carry no token.
            for (String open : new String[] {"healthz", "metrics", "api/anomalies", "api/anomalies/top", "api/models", ""}) {
                assertEquals(200, get(server, open).statusCode(), open);
            }
            assertEquals(503, get(server, "readyz").statusCode());
        }
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonWith415AndEnableNoCors() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            server.lookUpSeriesWith(ApiServerTest::knownSeries);
            String verdict = "{\"series\": \"pump-9\", \"timestamp\": 1, \"verdict\": \"confirmed\"}";
            for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain",
                "text/plain; charset=utf-8", "application/json-seq", "application/json; charset=iso-8859-1"}) {
                HttpResponse<String> r = post(server, "api/feedback", verdict, "Content-Type", type);
                assertEquals(415, r.statusCode(), type + " -> " + r.body());
                assertTrue(r.body().contains("Content-Type: application/json"), r.body());
            }
            HttpResponse<String> untyped = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/feedback"))
                    .POST(HttpRequest.BodyPublishers.ofString(verdict)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, untyped.statusCode(), untyped.body());
            for (String type : new String[] {"application/json", "Application/JSON; charset=UTF-8", "application/json;charset=\"utf-8\""}) {
                HttpResponse<String> r = post(server, "api/feedback", verdict, "Content-Type", type);
                assertEquals(404, r.statusCode(), type + " is JSON: the series is looked up -> " + r.body());
            }
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/feedback"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://elsewhere.example")
                    .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                    "no CORS: another site's page may not post JSON here " + preflight.headers());
            HttpResponse<String> huge = post(server, "api/feedback", "{\"series\": \"" + "p".repeat(ApiServer.MAX_BODY) + "\"}");
            assertEquals(413, huge.statusCode(), huge.body());
        }
    }

    @Test
    void shouldTakeFeedbackOnlyOnTheLatestEpisodeOfAKnownSeriesOnce() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            server.lookUpSeriesWith(ApiServerTest::knownSeries);
            HttpResponse<String> unknown = post(server, "api/feedback", verdict("pump-9", "2026-11-27T10:01:00Z"));
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("no series 'pump-9'"), unknown.body());
            for (String outside : new String[] {"2026-11-27T09:59:59.999Z", "2026-11-27T10:05:00.001Z", "2026-11-26T10:01:00Z"}) {
                HttpResponse<String> r = post(server, "api/feedback", verdict("pump-1", outside));
                assertEquals(409, r.statusCode(), outside + " -> " + r.body());
                assertTrue(r.body().contains("is not inside series 'pump-1''s latest anomaly episode"), r.body());
                assertTrue(r.body().contains("from 2026-11-27T10:00:00Z to 2026-11-27T10:05:00Z"), r.body());
            }
            HttpResponse<String> second = post(server, "api/feedback", verdict("pump-judged", "2026-11-27T10:01:00Z"));
            assertEquals(409, second.statusCode(), "a second verdict on one episode: " + second.body());
            assertTrue(second.body().contains("already has a verdict"), second.body());
            HttpResponse<String> quiet = post(server, "api/feedback", verdict("pump-quiet", "2026-11-27T10:01:00Z"));
            assertEquals(409, quiet.statusCode(), quiet.body());
            assertTrue(quiet.body().contains("has had no anomaly episode"), quiet.body());
            assertEquals(409, post(server, "api/feedback", verdict("pump-open", "2026-11-27T09:00:00Z")).statusCode(),
                    "before the open episode began");
        }
    }

    @Test
    void shouldRefuseStreamsBeyondTheLimitWith503AndGiveTheirPlacesBack() throws Exception {
        SeismoConfig one = CONFIG.with(Map.of("http.sse.max.clients", "1"));
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(one, metrics, ModelLineage.NONE)) {
            HttpResponse<String> noSeries = stream(server, "api/stream", HttpResponse.BodyHandlers.ofString());
            assertTrue(noSeries.body().contains("series is required"), noSeries.body());
            awaitOpenStreams(server, 0);
            HttpResponse<String> tooLong = stream(server, "api/stream?series=" + "p".repeat(Params.MAX_LENGTH + 1),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, tooLong.statusCode(), tooLong.body());
            assertEquals(0, server.openStreams());

            HttpResponse<InputStream> first = stream(server, "api/stream?series=pump-1", HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, first.statusCode());
            assertEquals(1, server.openStreams());
            HttpResponse<String> refused = stream(server, "api/stream?series=pump-2", HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("http.sse.max.clients"), refused.body());
            assertEquals("30", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals(200, get(server, "api/anomalies").statusCode(), "other calls are not limited");
            assertEquals(1, server.openStreams());
            first.body().close();
        }
    }

    @Test
    void shouldRefuseAQueryParameterLongerThan1024CharactersWith400() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            HttpResponse<String> r = get(server, "api/anomalies?series=" + "p".repeat(Params.MAX_LENGTH + 1));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("series must be at most 1024 characters, got 1025"), r.body());
            assertEquals(200, get(server, "api/anomalies?series=" + "p".repeat(Params.MAX_LENGTH)).statusCode());
            assertEquals(400, get(server, "api/series?prefix=" + "p".repeat(2000)).statusCode(), "before the store is asked");
        }
    }

    @Test
    void shouldAnswerHealthz503WithTheReasonTheProbeGives() throws Exception {
        try (SeismoMetrics metrics = new SeismoMetrics(); ApiServer server = ApiServer.start(CONFIG, metrics, ModelLineage.NONE)) {
            assertEquals("{\"status\":\"alive\"}", get(server, "healthz").body());
            server.watchHealth(() -> Optional.of("the detector is ERROR: its stream threads have died"));
            HttpResponse<String> sick = get(server, "healthz");
            assertEquals(503, sick.statusCode());
            assertEquals("{\"status\":\"unhealthy\",\"reason\":\"the detector is ERROR: its stream threads have died\"}", sick.body());
            assertEquals("application/json", sick.headers().firstValue("content-type").orElse("").split(";")[0]);
            server.watchHealth(() -> {
                throw new IllegalStateException("probe broke");
            });
            HttpResponse<String> broken = get(server, "healthz");
            assertEquals(503, broken.statusCode());
            assertTrue(broken.body().contains("the health probe failed"), broken.body());
            server.watchHealth(HealthProbe.ALIVE);
            assertEquals(200, get(server, "healthz").statusCode());
        }
    }

    /**
     * The series the feedback tests know: pump-1 with its latest episode closed (10:00 to 10:05, no verdict), pump-open
     * with it still open since 10:00, pump-judged with a verdict on it, pump-quiet without any episode.
     */
    private static Optional<SeriesSnapshot> knownSeries(String id) {
        return switch (id) {
            case "pump-1" -> Optional.of(snapshot(id, EPISODE_START, EPISODE_END, false));
            case "pump-open" -> Optional.of(snapshot(id, EPISODE_START, Long.MAX_VALUE, false));
            case "pump-judged" -> Optional.of(snapshot(id, EPISODE_START, EPISODE_END, true));
            case "pump-quiet" -> Optional.of(snapshot(id, SeriesSnapshot.NO_EPISODE, Long.MAX_VALUE, false));
            default -> Optional.empty();
        };
    }

    private static SeriesSnapshot snapshot(String id, long episodeStart, long episodeEnd, boolean verdictTaken) {
        boolean open = episodeStart != SeriesSnapshot.NO_EPISODE && episodeEnd == Long.MAX_VALUE;
        return new SeriesSnapshot(id, 400, EPISODE_END + 600_000L, 50, true, 50, 45, 55, 1.5, 1.5, 0.2, 0.1, open, open ? episodeStart : 0,
                0, 1, 0, 0, Long.MIN_VALUE, episodeStart, episodeEnd, verdictTaken);
    }

    private static String verdict(String series, String timestamp) {
        return "{\"series\": \"" + series + "\", \"timestamp\": \"" + timestamp + "\", \"verdict\": \"false_alarm\"}";
    }

    private <T> HttpResponse<T> stream(ApiServer server, String path, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/event-stream").GET().build(), body);
    }

    /** Waits at most ten seconds for the server to count {@code n} open streams (a stream's place is given back as it ends). */
    private static void awaitOpenStreams(ApiServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.openStreams() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.openStreams() + " streams open, not " + n);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private HttpResponse<String> post(ApiServer server, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(ApiServer server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
