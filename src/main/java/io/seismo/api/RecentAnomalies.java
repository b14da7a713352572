package io.seismo.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.seismo.schema.AnomalyEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent anomaly events, kept in memory for {@code GET /api/anomalies}: a consumer of the anomalies topic
 * (read_committed, no consumer group) that starts {@code capacity} records before the end of each partition and keeps
 * the newest {@code capacity} events in a bounded ring. It sees every partition, so any instance answers for all
 * series. Events are kept in arrival order, which within a series is event order.
 */
final class RecentAnomalies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecentAnomalies.class);

    private final int capacity;
    private final Deque<AnomalyEvent> ring;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Serde<AnomalyEvent> events;
    private final Thread thread;
    private volatile boolean stopping;

    /** Decoding events with {@code events} (the configured format's), which it closes when it stops. */
    RecentAnomalies(Map<String, Object> clientConfig, String topic, int capacity, Serde<AnomalyEvent> events) {
        this.capacity = capacity;
        this.events = events;
        this.ring = new ArrayDeque<>(Math.min(capacity, 4096));
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-api-anomalies");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(() -> run(topic), "seismo-api-anomalies");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String topic) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - capacity));
            }
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        add(events.deserializer().deserialize(r.topic(), r.value()));
                    } catch (RuntimeException e) {
                        LOG.warn("skipping undecodable anomaly event at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("reading recent anomalies from '{}' stopped: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            events.close();
        }
    }

    private synchronized void add(AnomalyEvent e) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(e);
    }

    /** Events at or after {@code since} (event time), of {@code series} when not null, newest first, at most {@code limit}. */
    synchronized List<AnomalyEvent> query(Instant since, String series, int limit) {
        List<AnomalyEvent> out = new ArrayList<>();
        for (Iterator<AnomalyEvent> it = ring.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            AnomalyEvent e = it.next();
            if (!e.getTimestamp().isBefore(since) && (series == null || series.equals(e.getSeries()))) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The series with the most events among those kept, most first (ties: the higher peak score, then the newer
     * last event), at most {@code limit}.
     */
    synchronized List<Views.TroubledSeries> mostAnomalous(int limit) {
        Map<String, Views.TroubledSeries> bySeries = new HashMap<>();
        for (AnomalyEvent e : ring) {
            Views.TroubledSeries t = bySeries.get(e.getSeries());
            bySeries.put(e.getSeries(), new Views.TroubledSeries(e.getSeries(), t == null ? 1 : t.events() + 1,
                    Math.max(t == null ? 0 : t.peakScore(), Math.max(e.getScore(), e.getPeakScore())), e.getTimestamp().toString(),
                    e.getKind().name()));
        }
        return bySeries.values().stream()
                .sorted(Comparator.comparingInt(Views.TroubledSeries::events).reversed()
                        .thenComparing(Comparator.comparingDouble(Views.TroubledSeries::peakScore).reversed())
                        .thenComparing(Comparator.comparing(Views.TroubledSeries::lastEvent).reversed()))
                .limit(limit).toList();
    }

    synchronized int size() {
        return ring.size();
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
