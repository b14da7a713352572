package io.seismo.api;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.seismo.config.SeismoConfig;
import io.seismo.schema.Feedback;
import io.seismo.schema.FeedbackVerdict;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorApp;
import io.seismo.stream.DetectorMetrics;
import io.seismo.stream.SeismoSerdes;
import io.seismo.stream.StoreQueries;
import io.seismo.stream.StoreQueries.NotAvailable;
import io.seismo.stream.StoreQueries.Owner;
import io.seismo.stream.StoreQueries.SeriesSnapshot;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seismo's HTTP server: the API over the detector's state (any instance answers for every series, forwarding to the
 * owner), recent anomalies, model releases, {@code /healthz}, {@code /readyz}, Prometheus {@code /metrics}, the live
 * readings of watched series as server-sent events, operators' feedback on alerts ({@code POST /api/feedback}, queued
 * on the feedback topic for the detector to apply), and the dashboard page at {@code /}, on one port. Start it before
 * the detector (the detector advertises its address to the other instances), give the detector
 * {@link #detectorMetrics()}, then {@link #attach} the detector and {@link #watchHealth watch its health}.
 *
 * <p>What it refuses, before any handler runs: a call other than GET, HEAD or OPTIONS without
 * {@code Authorization: Bearer <http.auth.token>} when a token is set (401); a POST, PUT or PATCH whose body is not
 * {@code application/json} (415: a cross-site HTML form cannot send that type without a CORS preflight, and no CORS is
 * enabled); a query parameter longer than {@link Params#MAX_LENGTH} (400); a body over {@link #MAX_BODY} bytes (413);
 * more than http.sse.max.clients streams at once (503). Feedback is taken only for an alert of the series' latest
 * anomaly episode that has no verdict yet (404 for an unknown series, 409 otherwise).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Marks a request one instance forwards to another: answer from the local store only. */
    static final String LOCAL = "local";
    /** Where the dashboard's page lives among the resources. */
    static final String DASHBOARD = "/dashboard";
    /** How long a POST /api/feedback waits for the broker to take the verdict. */
    static final Duration FEEDBACK_TIMEOUT = Duration.ofSeconds(10);
    /** Largest request body taken, in bytes: a verdict with its longest note is a few KiB. */
    static final int MAX_BODY = 64 * 1024;
    /** The stream's path, whose clients are counted. */
    static final String STREAM = "/api/stream";
    /** Marks a request to {@link #STREAM} that holds one of the http.sse.max.clients places until it ends. */
    private static final String STREAM_PLACE = "seismo.stream-place";
    private static final String BEARER = "Bearer ";

    private final SeismoConfig config;
    private final SeismoMetrics metrics;
    private final ModelLineage models;
    private final RecentAnomalies anomalies;
    private final LiveSeries live;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient peers = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Javalin app;
    private final String advertisedHost;
    /** Writes operators' verdicts to the feedback topic; one for the server's life, idempotent. */
    private final KafkaProducer<String, byte[]> feedback;
    /** SHA-256 of http.auth.token, or null when none is set (then calls are not authenticated). */
    private final byte[] tokenDigest;
    /** Streams open now, at most http.sse.max.clients. */
    private final AtomicInteger streams = new AtomicInteger();
    private volatile StoreQueries queries;
    private volatile HealthProbe health = HealthProbe.ALIVE;
    /** Where POST /api/feedback finds the series an alert belongs to; the owner's state by default. */
    private volatile SeriesLookup seriesLookup = this::findSeries;

    private ApiServer(SeismoConfig config, SeismoMetrics metrics, ModelLineage models, int port) {
        this.config = config;
        this.metrics = metrics;
        this.models = models;
        this.advertisedHost = advertisedHost(config.http());
        this.live = new LiveSeries(metrics, json);
        this.tokenDigest = config.http().authRequired() ? sha256(config.http().authToken()) : null;
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = MAX_BODY;
            // The dashboard: its page from the jar's resources, uPlot from its webjar (/webjars/uplot/<version>/...).
            c.staticFiles.add(DASHBOARD, Location.CLASSPATH);
            c.staticFiles.enableWebjars();
        });
        routes();
        KafkaProducer<String, byte[]> producer = null;
        try {
            app.start(config.http().host(), port);
            if (tokenDigest == null && !loopback(config.http().host())) {
                LOG.warn("the HTTP API listens on {}:{} without http.auth.token: anyone who can reach the port can post feedback"
                        + " that raises thresholds; set http.auth.token or bind http.host=127.0.0.1", config.http().host(), app.port());
            } else if (tokenDigest != null) {
                LOG.info("HTTP calls other than GET need the bearer token of http.auth.token");
            }
            producer = feedbackProducer(config);
            this.anomalies = new RecentAnomalies(config.clientConfig(), config.topics().anomalies(), config.http().anomaliesKept(),
                    SeismoSerdes.external(config.formats()).anomalies());
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            app.stop();
            live.close();
            throw e;
        }
        this.feedback = producer;
    }

    /**
     * Starts the server on http.host:http.port. When that port is the default (8080) and taken, a free one is used
     * instead; any other taken port is an error.
     */
    public static ApiServer start(SeismoConfig config, SeismoMetrics metrics, ModelLineage models) {
        int port = config.http().port();
        try {
            return new ApiServer(config, metrics, models, port);
        } catch (RuntimeException e) {
            if (port == SeismoConfig.Http.DEFAULT_PORT && bindFailure(e)) {
                LOG.warn("port {} is taken; serving the HTTP API on a free port instead", port);
                return new ApiServer(config, metrics, models, 0);
            }
            throw new IllegalStateException("cannot serve HTTP on " + config.http().host() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static KafkaProducer<String, byte[]> feedbackProducer(SeismoConfig config) {
        java.util.Map<String, Object> props = new java.util.HashMap<>(config.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "seismo-api-feedback");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, FEEDBACK_TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) FEEDBACK_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) FEEDBACK_TIMEOUT.toMillis() / 2);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Whether {@code host} names this machine's loopback interface only; an unresolvable name counts as not. */
    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || t instanceof io.javalin.util.JavalinBindException) {
                return true;
            }
        }
        return false;
    }

    private static String advertisedHost(SeismoConfig.Http http) {
        if (!http.advertisedHost().isEmpty()) {
            return http.advertisedHost();
        }
        if (!"0.0.0.0".equals(http.host()) && !"::".equals(http.host())) {
            return http.host();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** Where to point a browser or Prometheus, e.g. http://127.0.0.1:8080/. */
    public String url() {
        String host = config.http().host().contains(":") ? "[" + config.http().host() + "]" : config.http().host();
        return "http://" + host + ":" + port() + "/";
    }

    /** host:port under which the other detector instances reach this one (Kafka Streams' application.server). */
    public String applicationServer() {
        return advertisedHost + ":" + port();
    }

    /**
     * What the detector should report to: the metrics, and the readings of the series the dashboard watches. A detector
     * given only the metrics is served as well, without live readings.
     */
    public DetectorMetrics detectorMetrics() {
        return live;
    }

    /** Serves this detector's state and metrics from now on. */
    public void attach(DetectorApp detector) {
        metrics.bind(detector, config.model().name());
        this.queries = detector.queries();
    }

    /** {@code GET /healthz} answers 503 with the probe's reason whenever it reports one (200 otherwise, the default). */
    public void watchHealth(HealthProbe probe) {
        this.health = probe;
    }

    /** Where POST /api/feedback looks up series instead of the detector's stores (tests). */
    void lookUpSeriesWith(SeriesLookup lookup) {
        this.seriesLookup = lookup;
    }

    /** Finds a series' state wherever it lives; empty when no instance holds it. */
    @FunctionalInterface
    interface SeriesLookup {
        Optional<SeriesSnapshot> find(String series) throws IOException, InterruptedException;
    }

    private void routes() {
        app.exception(ApiException.class, (e, ctx) -> problem(ctx, e.status(), e.getMessage()));
        app.exception(NotAvailable.class, (e, ctx) -> problem(ctx, 503, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, 500, e.toString());
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                problem(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        app.before(this::screen);
        app.before(STREAM, this::takeStreamPlace);
        app.after(STREAM, ctx -> {
            if (ctx.attribute(STREAM_PLACE) != null) {
                streams.decrementAndGet();
            }
        });
        app.get("/healthz", this::healthy);
        app.get("/readyz", this::ready);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/api/series", this::listSeries);
        app.get("/api/series/{id}", this::oneSeries);
        app.get("/api/anomalies", this::recentAnomalies);
        app.get("/api/anomalies/top", this::mostAnomalous);
        app.get("/api/models", this::modelReleases);
        app.sse(STREAM, this::stream);
        app.post("/api/feedback", this::feedback);
    }

    /**
     * What every request passes first: calls that change something carry the bearer token when one is set (401) and a
     * JSON body (415); no query parameter is longer than {@link Params#MAX_LENGTH} (400).
     */
    private void screen(Context ctx) {
        HandlerType method = ctx.method();
        if (method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS) {
            authenticate(ctx);
            if (method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.PATCH) {
                requireJson(ctx.header("Content-Type"));
            }
        }
        Params.checkLengths(ctx.queryParamMap());
    }

    private void authenticate(Context ctx) {
        if (tokenDigest == null) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"seismo\"");
            throw new ApiException(401, ctx.method() + " " + ctx.path() + " needs the header 'Authorization: Bearer <token>'"
                    + " with the token of http.auth.token");
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        // Digests of equal length compared in constant time: the answer's timing tells nothing of the token.
        if (!MessageDigest.isEqual(presented, tokenDigest)) {
            LOG.debug("{} {} from {} refused: wrong bearer token", ctx.method(), ctx.path(), ctx.ip());
            ctx.header("WWW-Authenticate", "Bearer realm=\"seismo\", error=\"invalid_token\"");
            throw new ApiException(401, "the bearer token is not the one of http.auth.token");
        }
    }

    /** application/json, with at most a charset parameter, which must be UTF-8 (JSON's encoding); else 415. */
    static void requireJson(String contentType) {
        String problem = "the body must be JSON, sent with 'Content-Type: application/json'";
        if (contentType == null) {
            throw new ApiException(415, problem + "; no Content-Type was given");
        }
        String[] parts = contentType.split(";");
        if (!"application/json".equals(parts[0].trim().toLowerCase(Locale.ROOT))) {
            throw new ApiException(415, problem + ", got '" + contentType + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!parameter.isEmpty() && !parameter.replace(" ", "").equals("charset=utf-8")) {
                throw new ApiException(415, problem + " (charset utf-8 if any), got '" + contentType + "'");
            }
        }
    }

    /**
     * Holds one of the http.sse.max.clients places for a request that opens a stream (503 when none is free); the place
     * is given back when the request ends, however it ends (the after-handler runs once the stream closes).
     */
    private void takeStreamPlace(Context ctx) {
        if (ctx.method() != HandlerType.GET || !"text/event-stream".equals(ctx.header("Accept"))) {
            return; // not a stream: Javalin's SSE handler opens none
        }
        int max = config.http().sseMaxClients();
        if (streams.incrementAndGet() > max) {
            streams.decrementAndGet();
            ctx.header("Retry-After", "30");
            throw new ApiException(503, "this server already streams to " + max + " clients, its limit (http.sse.max.clients);"
                    + " try again later");
        }
        ctx.attribute(STREAM_PLACE, Boolean.TRUE);
    }

    /** Streams open now (tests). */
    int openStreams() {
        return streams.get();
    }

    private void healthy(Context ctx) {
        Optional<String> problem;
        try {
            problem = health.problem();
        } catch (RuntimeException e) {
            problem = Optional.of("the health probe failed: " + e);
        }
        if (problem.isPresent()) {
            send(ctx, 503, new Views.Status("unhealthy", null, null, problem.get()));
        } else {
            send(ctx, 200, new Views.Status("alive", null, null, null));
        }
    }

    /**
     * An operator's verdict on an alert: checked (400), the series looked up where its state lives (404 when no instance
     * holds it), refused (409) unless its timestamp lies in the series' latest anomaly episode and that episode has no
     * verdict yet, then queued on the feedback topic keyed by series (202 once the broker has it). The detector that owns
     * the series applies the same rule again and applies it to the series' threshold factor.
     */
    private void feedback(Context ctx) throws IOException, InterruptedException {
        FeedbackRequest request = FeedbackRequest.parse(json, body(ctx));
        String id = request.series();
        SeriesSnapshot series = seriesLookup.find(id).orElseThrow(() -> ApiException.notFound("no series '" + id + "'"));
        if (!series.acceptsFeedback(request.timestamp().toEpochMilli())) {
            throw new ApiException(409, whyNoVerdict(series, request.timestamp()));
        }
        Instant received = Instant.now();
        Feedback record = Feedback.newBuilder()
                .setSeries(id)
                .setAnomalyTimestamp(request.timestamp())
                .setVerdict(FeedbackVerdict.valueOf(request.verdict()))
                .setNote(request.note())
                .setReceivedAt(received)
                .build();
        String topic = config.topics().feedback();
        RecordMetadata sent;
        try {
            sent = feedback.send(new ProducerRecord<>(topic, null, received.toEpochMilli(), id, SeismoSerdes.FEEDBACK.encode(record)))
                    .get(FEEDBACK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ApiException(503, "the feedback could not be queued on topic '" + topic + "': " + cause);
        }
        LOG.info("feedback queued: series '{}', {} on the alert at {}", id, request.verdict(), request.timestamp());
        send(ctx, 202, new Views.FeedbackAccepted(id, request.timestamp().toString(), request.verdict(), request.note(),
                received.toString(), topic, sent.partition(), sent.offset()));
    }

    /** Why {@code series} takes no verdict on the alert at {@code alert}, in the terms of its latest episode. */
    static String whyNoVerdict(SeriesSnapshot series, Instant alert) {
        String id = "series '" + series.series() + "'";
        if (series.latestEpisodeStart() == SeriesSnapshot.NO_EPISODE) {
            return id + " has had no anomaly episode: there is no alert at " + alert + " to give a verdict on";
        }
        String episode = "its latest anomaly episode (from " + Instant.ofEpochMilli(series.latestEpisodeStart())
                + (series.latestEpisodeEnd() == Long.MAX_VALUE ? ", still open" : " to " + Instant.ofEpochMilli(series.latestEpisodeEnd()))
                + ")";
        long at = alert.toEpochMilli();
        if (at < series.latestEpisodeStart() || at > series.latestEpisodeEnd()) {
            return alert + " is not inside " + id + "'s latest anomaly episode: verdicts are taken only on " + episode;
        }
        return id + ": " + episode + " already has a verdict; one verdict per episode is taken";
    }

    /** The request's body, at most {@link #MAX_BODY} bytes (413 beyond), as UTF-8. */
    private static String body(Context ctx) throws IOException {
        String tooLarge = "the body must be at most " + MAX_BODY + " bytes";
        if (ctx.contentLength() > MAX_BODY) {
            throw new ApiException(413, tooLarge + ", got " + ctx.contentLength());
        }
        byte[] bytes = ctx.bodyInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, tooLarge);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The series' state from the instance that owns it: this one's store, or the owner's {@code GET /api/series/{id}}. */
    private Optional<SeriesSnapshot> findSeries(String id) throws IOException, InterruptedException {
        StoreQueries q = queries();
        Owner owner = q.ownerOf(id);
        if (owner.local()) {
            return q.local(id);
        }
        HttpResponse<String> r = get(owner, "/api/series/" + encode(id) + "?" + LOCAL + "=true");
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        String from = "instance " + owner.host() + ":" + owner.port();
        if (r.statusCode() != 200) {
            throw new ApiException(502, from + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return Optional.of(json.readValue(r.body(), Views.SeriesView.class).snapshot());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ApiException(502, from + " answered a series this instance cannot read: " + e.getMessage());
        }
    }

    private void ready(Context ctx) {
        StoreQueries q = queries;
        if (q == null) {
            send(ctx, 503, new Views.Status("not ready", null, null, "the detector has not started"));
            return;
        }
        String state = q.state();
        if (!"RUNNING".equals(state)) {
            send(ctx, 503, new Views.Status("not ready", state, null, "the detector is " + state));
            return;
        }
        String model;
        try {
            model = q.modelInForce(config.model().name()).map(m -> "release " + m.version()).orElse("baseline forecaster");
        } catch (NotAvailable e) {
            send(ctx, 503, new Views.Status("not ready", state, null, "the model store cannot be read: " + e.getMessage()));
            return;
        }
        send(ctx, 200, new Views.Status("ready", state, model, null));
    }

    private StoreQueries queries() {
        StoreQueries q = queries;
        if (q == null) {
            throw new NotAvailable("the detector has not started");
        }
        return q;
    }

    private void oneSeries(Context ctx) throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        StoreQueries q = queries();
        if (ctx.queryParam(LOCAL) == null) {
            Owner owner = q.ownerOf(id);
            if (!owner.local()) {
                forward(ctx, owner, "/api/series/" + encode(id) + "?" + LOCAL + "=true");
                return;
            }
        }
        Optional<SeriesSnapshot> s = q.local(id);
        if (s.isEmpty()) {
            throw ApiException.notFound("no series '" + id + "'");
        }
        send(ctx, 200, Views.SeriesView.of(s.get(), applicationServer()));
    }

    private void listSeries(Context ctx) throws IOException, InterruptedException {
        String prefix = Params.prefix(ctx.queryParam("prefix"));
        String after = Params.after(ctx.queryParam("after"));
        int limit = Params.limit(ctx.queryParam("limit"));
        StoreQueries q = queries();
        TreeMap<String, Views.SeriesSummary> merged = new TreeMap<>();
        q.localPage(prefix, after, limit).forEach(s -> merged.put(s.series(), Views.SeriesSummary.of(s)));
        if (ctx.queryParam(LOCAL) == null) {
            String query = "?" + LOCAL + "=true&limit=" + limit + "&prefix=" + encode(prefix) + (after == null ? "" : "&after=" + encode(after));
            for (Owner peer : q.instances()) {
                if (peer.local()) {
                    continue;
                }
                HttpResponse<String> r = get(peer, "/api/series" + query);
                if (r.statusCode() != 200) {
                    throw new ApiException(502, "instance " + peer.host() + ":" + peer.port() + " answered " + r.statusCode() + ": " + r.body());
                }
                for (Views.SeriesSummary s : json.readValue(r.body(), Views.SeriesPage.class).series()) {
                    merged.put(s.series(), s);
                }
            }
        }
        List<Views.SeriesSummary> page = new ArrayList<>(merged.values());
        if (page.size() > limit) {
            page = page.subList(0, limit);
        }
        String next = page.size() == limit ? page.get(page.size() - 1).series() : null;
        send(ctx, 200, new Views.SeriesPage(List.copyOf(page), next));
    }

    private void recentAnomalies(Context ctx) {
        var since = Params.since(ctx.queryParam("since"));
        String series = Params.series(ctx.queryParam("series"));
        int limit = Params.limit(ctx.queryParam("limit"));
        List<Views.AnomalyView> out = anomalies.query(since, series, limit).stream().map(Views.AnomalyView::of).toList();
        send(ctx, 200, new Views.AnomalyList(out, anomalies.size()));
    }

    private void mostAnomalous(Context ctx) {
        int limit = Params.limit(ctx.queryParam("limit"));
        send(ctx, 200, new Views.TroubledList(anomalies.mostAnomalous(limit), anomalies.size()));
    }

    /** Server-sent events of one series' judged readings, as this instance judges them (see {@link LiveSeries}). */
    private void stream(SseClient client) {
        String series;
        try {
            series = Params.series(client.ctx().queryParam("series"));
        } catch (ApiException e) {
            series = null;
        }
        if (series == null) {
            client.sendEvent("problem", new Views.Problem(400, "series is required: /api/stream?series=ID"));
            client.close();
            return;
        }
        boolean local;
        try {
            local = queries().ownerOf(series).local();
        } catch (RuntimeException notYet) {
            // The detector has not started or is rebalancing: watch it anyway; its points come if it is ours.
            local = true;
        }
        client.keepAlive();
        live.subscribe(series, local, client);
    }

    private void modelReleases(Context ctx) {
        Long inForce = null;
        StoreQueries q = queries;
        if (q != null) {
            try {
                inForce = q.modelInForce(config.model().name()).map(StoreQueries.ModelInForce::version).orElse(null);
            } catch (NotAvailable e) {
                // Not known while the detector starts; the releases are still listed.
            }
        }
        List<Views.ModelView> out = new ArrayList<>();
        for (ModelRelease r : models.releases()) {
            out.add(Views.ModelView.of(r, inForce != null && inForce == r.getVersion()));
        }
        send(ctx, 200, new Views.ModelList(config.model().name(), inForce, out));
    }

    private void forward(Context ctx, Owner owner, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(owner, pathAndQuery);
        ctx.status(r.statusCode()).contentType("application/json").result(r.body());
    }

    private HttpResponse<String> get(Owner peer, String pathAndQuery) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery);
        try {
            return peers.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(502, "instance " + peer.host() + ":" + peer.port() + " did not answer: " + e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private void problem(Context ctx, int status, String message) {
        send(ctx, status, new Views.Problem(status, message));
    }

    @Override
    public void close() {
        feedback.close(Duration.ofSeconds(5));
        anomalies.close();
        live.close();
        app.stop();
    }
}
