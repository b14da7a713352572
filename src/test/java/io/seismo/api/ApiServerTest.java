package io.seismo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.seismo.config.SeismoConfig;
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
    void shouldRefuseAPortThatIsTakenUnlessItIsTheDefault() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             SeismoMetrics metrics = new SeismoMetrics()) {
            SeismoConfig config = CONFIG.with(Map.of("http.port", Integer.toString(taken.getLocalPort())));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiServer.start(config, metrics, ModelLineage.NONE));
            assertTrue(e.getMessage().startsWith("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    private HttpResponse<String> get(ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
