package io.seismo.it;

import static io.seismo.it.BrokerTestSupport.producer;
import static io.seismo.it.BrokerTestSupport.readCommitted;
import static io.seismo.it.BrokerTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.it.BrokerTestSupport.ServedDetector;
import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.schema.Feedback;
import io.seismo.schema.FeedbackVerdict;
import io.seismo.schema.Reading;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.TopicPlan;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API on a real broker with two detector instances (4 partitions), each with its own server on a free port:
 * health, readiness, a series' state asked of the instance that does not own it (forwarded), paging over both
 * instances, the spike's anomaly event, an operator's verdict on it (with the bearer token, checked against the owner's
 * latest episode, queued on the feedback topic and applied by the owner), and the metrics counting every reading.
 */
class HttpApiIT {
    private static final int SERIES = 8;
    private static final int READINGS = 240;
    private static final int SPIKE_AT = 220;
    private static final String SPIKED = "pump-03";
    private static final long STEP = 60_000L;
    private static final String TOKEN = "http-api-it-0c6b2f1e";

    @RegisterExtension
    static final ClassBroker broker = new ClassBroker();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldServeStateAnomaliesAndMetricsFromEitherInstance() throws Exception {
        Map<String, String> settings = BrokerTestSupport.servedSettings(broker.bootstrapServers(), "http-api-it", 4, dir.resolve("a"));
        settings.put("http.auth.token", TOKEN);
        SeismoConfig configA = SeismoConfig.parse(settings);
        settings.put("state.dir", dir.resolve("b").toString());
        SeismoConfig configB = SeismoConfig.parse(settings);
        TopicAdmin.ensureTopics(configA.clientConfig(), TopicPlan.of(configA), Duration.ofSeconds(30));

        try (ServedDetector a = ServedDetector.start(configA); ServedDetector b = ServedDetector.start(configB)) {
            assertEquals(200, get(a.url("/healthz")).statusCode());
            waitFor(Duration.ofSeconds(40), "both instances run and share the partitions", () ->
                    a.detector().running() && b.detector().running()
                            && a.detector().queries().instances().size() == 2 && b.detector().queries().instances().size() == 2);
            waitFor(Duration.ofSeconds(10), "both are ready", () -> status(a.url("/readyz")) == 200 && status(b.url("/readyz")) == 200);
            JsonNode ready = body(get(a.url("/readyz")));
            assertEquals("ready", ready.get("status").asText());
            assertEquals("baseline forecaster", ready.get("model").asText());

            long sent = produceReadings(configA.topics().readings());
            waitFor(Duration.ofSeconds(40), "both instances have judged every reading",
                    () -> judged(a) + judged(b) == sent);

            // A series owned by the other instance, asked of each: the answer comes from the owner.
            for (ServedDetector asked : List.of(a, b)) {
                ServedDetector other = asked == a ? b : a;
                String id = ownedBy(asked, other);
                HttpResponse<String> r = get(asked.url("/api/series/" + id));
                assertEquals(200, r.statusCode(), r.body());
                JsonNode s = body(r);
                assertEquals(id, s.get("series").asText());
                assertEquals(other.server().applicationServer(), s.get("servedBy").asText(), "forwarded to the owner");
                assertEquals(READINGS, s.get("readings").asLong());
                double last = s.get("lastValue").asDouble();
                double expected = s.get("expected").asDouble();
                assertTrue(Math.abs(expected - last) < 5, "expected " + expected + " near the last value " + last);
                assertTrue(s.get("threshold").asDouble() > 0, "a threshold is learned: " + s);
                assertTrue(s.get("lower").asDouble() < expected && expected < s.get("upper").asDouble(), s.toString());
                assertEquals(0, s.get("modelVersion").asLong());
                assertNotNull(Instant.parse(s.get("lastUpdate").asText()));
                assertEquals(404, get(asked.url("/api/series/no-such-series")).statusCode());
            }

            // Paging over both instances' series, in id order, with a cursor.
            JsonNode first = body(get(b.url("/api/series?prefix=pump-&limit=5")));
            assertEquals(5, first.get("series").size());
            String next = first.get("next").asText();
            JsonNode rest = body(get(b.url("/api/series?prefix=pump-&limit=5&after=" + next)));
            List<String> ids = new ArrayList<>();
            first.get("series").forEach(n -> ids.add(n.get("series").asText()));
            rest.get("series").forEach(n -> ids.add(n.get("series").asText()));
            List<String> all = new ArrayList<>();
            for (int i = 0; i < SERIES; i++) {
                all.add(seriesId(i));
            }
            assertEquals(all, ids);
            assertTrue(rest.get("next").isNull(), rest.toString());
            HttpResponse<String> bad = get(a.url("/api/series?limit=0"));
            assertEquals(400, bad.statusCode());
            assertTrue(body(bad).get("error").asText().contains("limit"), bad.body());
            assertEquals(400, get(a.url("/api/series?limit=many")).statusCode());
            assertEquals(400, get(a.url("/api/anomalies?since=yesterday")).statusCode());

            // The spike's event, from either instance.
            long spikeTime = start() + SPIKE_AT * STEP;
            waitFor(Duration.ofSeconds(20), "the spike's anomaly event is listed", () -> {
                JsonNode events = body(fetch(b.url("/api/anomalies?series=" + SPIKED))).get("anomalies");
                for (JsonNode e : events) {
                    if ("OPENED".equals(e.get("kind").asText()) && Instant.parse(e.get("timestamp").asText()).toEpochMilli() == spikeTime) {
                        return true;
                    }
                }
                return false;
            });
            JsonNode later = body(get(a.url("/api/anomalies?since=" + Instant.ofEpochMilli(spikeTime + STEP * 100))));
            assertEquals(0, later.get("anomalies").size(), later.toString());

            // The spike reported as a false alarm to the instance that does not own it: checked against the owner's latest
            // episode, queued, then applied by the owner. Without the token, nothing is queued.
            ServedDetector notOwner = a.detector().queries().ownerOf(SPIKED).local() ? b : a;
            String falseAlarm = "{\"series\": \"" + SPIKED + "\", \"timestamp\": \"" + Instant.ofEpochMilli(spikeTime)
                    + "\", \"verdict\": \"false_alarm\", \"note\": \"valve test\"}";
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(notOwner.url("/api/feedback")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(falseAlarm)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            HttpResponse<String> beforeTheEpisode = post(notOwner.url("/api/feedback"),
                    falseAlarm.replace(Instant.ofEpochMilli(spikeTime).toString(), Instant.ofEpochMilli(spikeTime - STEP).toString()));
            assertEquals(409, beforeTheEpisode.statusCode(), "the reading before the spike is no alert: " + beforeTheEpisode.body());
            HttpResponse<String> accepted = post(notOwner.url("/api/feedback"), falseAlarm);
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals("FALSE_ALARM", body(accepted).get("verdict").asText());
            assertEquals("feedback", body(accepted).get("topic").asText());
            List<Feedback> queued = readCommitted(configA.clientConfig(), "feedback").stream()
                    .map(r -> SeismoSerdes.FEEDBACK.decode(r.value())).toList();
            assertEquals(1, queued.size(), queued.toString());
            assertEquals(SPIKED, queued.get(0).getSeries());
            assertEquals(FeedbackVerdict.FALSE_ALARM, queued.get(0).getVerdict());
            assertEquals(spikeTime, queued.get(0).getAnomalyTimestamp().toEpochMilli());
            assertEquals("valve test", queued.get(0).getNote());
            waitFor(Duration.ofSeconds(20), "the owner applies the verdict to the series' threshold factor",
                    () -> body(fetch(notOwner.url("/api/series/" + SPIKED))).get("falseAlarms").asInt() == 1);
            JsonNode raised = body(get(notOwner.url("/api/series/" + SPIKED)));
            assertEquals(1.25, raised.get("thresholdFactor").asDouble(), 1e-12, raised.toString());
            assertTrue(raised.get("threshold").asDouble() > raised.get("learnedThreshold").asDouble(),
                    "the alarm now needs a larger error than the learned tail's alarm point: " + raised);
            assertEquals(Instant.ofEpochMilli(spikeTime).toString(), raised.get("latestEpisodeStart").asText(), raised.toString());
            assertTrue(raised.get("verdictTaken").asBoolean(), raised.toString());
            for (ServedDetector instance : List.of(a, b)) {
                HttpResponse<String> again = post(instance.url("/api/feedback"), falseAlarm);
                assertEquals(409, again.statusCode(), "one verdict per episode: " + again.body());
                assertTrue(again.body().contains("already has a verdict"), again.body());
            }
            HttpResponse<String> unknown = post(a.url("/api/feedback"),
                    "{\"series\": \"no-such-series\", \"timestamp\": 1, \"verdict\": \"confirmed\"}");
            assertEquals(404, unknown.statusCode(), unknown.body());
            HttpResponse<String> badVerdict = post(b.url("/api/feedback"),
                    "{\"series\": \"" + SPIKED + "\", \"timestamp\": 1, \"verdict\": \"perhaps\"}");
            assertEquals(400, badVerdict.statusCode(), badVerdict.body());
            assertEquals(1, readCommitted(configA.clientConfig(), "feedback").size(), "nothing else was queued");

            String metrics = get(a.url("/metrics")).body();
            assertTrue(metrics.contains("kafka_stream_"), "Kafka Streams' metrics are bound");
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics are bound");
            assertTrue(metrics.contains("seismo_step_latency_seconds_bucket"), "the step latency histogram");
            assertTrue(metrics.contains("seismo_model_version 0.0"), metrics);
            assertTrue(metrics.contains("seismo_open_episodes"), metrics);
            assertTrue(metrics.contains("seismo_series "), "the series count, kept beside the states: " + metrics);
            double opened = metric(metrics, "seismo_anomaly_events_total{kind=\"opened\"}")
                    + metric(get(b.url("/metrics")).body(), "seismo_anomaly_events_total{kind=\"opened\"}");
            assertTrue(opened >= 1, "the spike opened an episode");

            HttpResponse<String> models = get(a.url("/api/models"));
            assertEquals(200, models.statusCode(), models.body());
            assertEquals(0, body(models).get("releases").size());
        }
    }

    private long produceReadings(String topic) {
        Random random = new Random(11);
        long t0 = start();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
            for (int step = 0; step < READINGS; step++) {
                for (int i = 0; i < SERIES; i++) {
                    String id = seriesId(i);
                    double value = 50 + 10 * Math.sin(2 * Math.PI * (step + 7 * i) / 60.0) + random.nextGaussian() * 0.3;
                    if (id.equals(SPIKED) && step == SPIKE_AT) {
                        value += 80;
                    }
                    long ts = t0 + step * STEP;
                    producer.send(new ProducerRecord<>(topic, null, ts, id,
                            SeismoSerdes.READING.encode(new Reading(id, Instant.ofEpochMilli(ts), value))));
                    sent++;
                }
            }
            producer.flush();
        }
        return sent;
    }

    /** Event time of the first reading: the run ends an hour before now (brokers refuse far-future timestamps). */
    private static long start() {
        return START;
    }

    private static final long START = (System.currentTimeMillis() / STEP - READINGS - 60) * STEP;

    private static String seriesId(int i) {
        return String.format(java.util.Locale.ROOT, "pump-%02d", i);
    }

    private static String ownedBy(ServedDetector asked, ServedDetector owner) {
        for (int i = 0; i < SERIES; i++) {
            if (!asked.detector().queries().ownerOf(seriesId(i)).local()
                    && owner.detector().queries().ownerOf(seriesId(i)).local()) {
                return seriesId(i);
            }
        }
        throw new AssertionError("no series is owned by the other instance");
    }

    private long judged(ServedDetector instance) {
        try {
            return (long) metric(get(instance.url("/metrics")).body(), "seismo_readings_judged_total");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> fetch(String url) {
        try {
            return get(url);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a series in Prometheus text, named with its labels exactly as written; 0 when absent. */
    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }
}
