package io.seismo.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.seismo.detect.EpisodeTransition;
import io.seismo.detect.Verdict;
import io.seismo.release.RejectionReason;
import io.seismo.stream.DeadLetterReason;
import io.seismo.stream.DetectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judged readings of the series the dashboard watches, pushed to its server-sent-event clients, in front of the
 * metrics (every other report goes to {@code counting} unchanged).
 *
 * <p>A series is watched from the first time a client subscribes to it: from then on the detector reports its readings
 * here, and the last {@link #POINTS_KEPT} are kept, so a page opened later starts with them. Points before the first
 * subscription are not kept: building one per reading of every series would cost the detector an allocation per
 * reading. At most {@link #SERIES_KEPT} series are watched; subscribing to one more forgets the series whose last client
 * left longest ago. Only readings this instance judges arrive here, so a series owned by another instance stays empty.
 *
 * <p>The detector's threads only append to a ring and hand the sending to one sender thread, so a slow browser never
 * holds up a stream thread; when the sender falls {@link #QUEUE_LIMIT} tasks behind, points are dropped.
 */
final class LiveSeries implements DetectorMetrics, AutoCloseable {
    static final int POINTS_KEPT = 300;
    static final int SERIES_KEPT = 32;
    static final int QUEUE_LIMIT = 10_000;
    private static final long HEARTBEAT_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(LiveSeries.class);

    private final DetectorMetrics counting;
    private final ObjectMapper json;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor sender;

    /** A watched series: its last points and its clients. */
    private static final class Watched {
        final ArrayDeque<Views.LivePoint> points = new ArrayDeque<>(POINTS_KEPT);
        final Set<SseClient> clients = new CopyOnWriteArraySet<>();
        volatile long lastLeft = System.nanoTime();

        synchronized void add(Views.LivePoint p) {
            if (points.size() == POINTS_KEPT) {
                points.removeFirst();
            }
            points.addLast(p);
        }

        synchronized List<Views.LivePoint> snapshot() {
            return new ArrayList<>(points);
        }
    }

    LiveSeries(DetectorMetrics counting, ObjectMapper json) {
        this.counting = counting;
        this.json = json;
        this.sender = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "seismo-api-live");
            t.setDaemon(true);
            return t;
        });
        sender.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void judged(long nanos) {
        counting.judged(nanos);
    }

    @Override
    public void anomalyEvent(EpisodeTransition kind) {
        counting.anomalyEvent(kind);
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        counting.deadLettered(reason);
    }

    @Override
    public void seriesExpired() {
        counting.seriesExpired();
    }

    @Override
    public void deadLetterDropped() {
        counting.deadLetterDropped();
    }

    @Override
    public void modelRejected(RejectionReason reason) {
        counting.modelRejected(reason);
    }

    @Override
    public boolean watches(String series) {
        return watched.containsKey(series);
    }

    @Override
    public void judged(String series, long timestamp, Verdict v, boolean inEpisode) {
        Watched w = watched.get(series);
        if (w == null) {
            return;
        }
        Views.LivePoint p = new Views.LivePoint(series, timestamp, v.observed(), Views.number(v.expected()), Views.number(v.lower()),
                Views.number(v.upper()), v.error(), v.threshold(), v.score(), v.anomalous(), inEpisode, v.transition().name(),
                v.reason().name());
        w.add(p);
        if (!w.clients.isEmpty()) {
            submit(() -> {
                String data = write(p);
                for (SseClient c : w.clients) {
                    c.sendEvent("point", data);
                    if (v.transition() != EpisodeTransition.NONE) {
                        c.sendEvent("anomaly", data);
                    }
                }
            });
        }
    }

    /**
     * Sends {@code client} the points kept for {@code series} (event "history"), then each new one (event "point", and
     * "anomaly" when the reading opened, escalated or closed an episode) until it leaves.
     */
    void subscribe(String series, boolean local, SseClient client) {
        Watched w = watched.computeIfAbsent(series, s -> new Watched());
        w.clients.add(client);
        client.onClose(() -> {
            w.clients.remove(client);
            w.lastLeft = System.nanoTime();
        });
        forgetBeyondLimit();
        // Through the sender, so the history precedes every point sent after it and no two threads write to one client.
        submit(() -> client.sendEvent("history", write(new Views.LiveHistory(series, local, w.snapshot()))));
    }

    /** Series watched now. */
    int watchedSeries() {
        return watched.size();
    }

    private void forgetBeyondLimit() {
        while (watched.size() > SERIES_KEPT) {
            var idle = watched.entrySet().stream().filter(e -> e.getValue().clients.isEmpty())
                    .min(Comparator.comparingLong(e -> e.getValue().lastLeft));
            if (idle.isEmpty()) {
                return;
            }
            watched.remove(idle.get().getKey(), idle.get().getValue());
        }
    }

    private void heartbeat() {
        for (Watched w : watched.values()) {
            for (SseClient c : w.clients) {
                // A comment: keeps proxies from closing the stream, and finds the clients that went away.
                try {
                    c.sendComment("alive");
                } catch (RuntimeException gone) {
                    // An exception here would end the heartbeats for good.
                    w.clients.remove(c);
                }
            }
        }
    }

    private void submit(Runnable task) {
        if (sender.getQueue().size() >= QUEUE_LIMIT) {
            return;
        }
        try {
            sender.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.debug("sending a live point failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            // Shutting down.
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + o.getClass().getSimpleName() + " as JSON", e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (Watched w : watched.values()) {
            for (SseClient c : w.clients) {
                c.close();
            }
        }
        watched.clear();
    }
}
