package io.seismo.score;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.train.Replayer;
import io.seismo.train.SeriesPattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A time window [from, to) of a readings topic as one stream in event-time order, read without holding the window in
 * memory: a fetching thread reads every partition of the window at once ({@code read_committed}, from the first offset at
 * or after {@code from} to the first at or after {@code to}) into a small bounded queue per partition, pausing a
 * partition whose queue is full; the caller's thread merges the partitions' heads by record timestamp (ties by
 * partition), as Kafka Streams picks the next record among its partitions. Within a partition the log's order is kept.
 * Records whose value is not an Avro Reading, whose own timestamp lies outside the window, or whose series the
 * pattern does not match are counted and left out. Records keep their key, timestamp and value bytes.
 */
public final class TopicWindow implements Iterator<ScoringRun.Input>, AutoCloseable {
    private static final int QUEUE = 8192;
    private static final int MAX_POLL = 1000;
    /** The most one fetch brings back across the window's partitions. */
    private static final int FETCH_BYTES = 4 << 20;
    private static final ScoringRun.Input END = new ScoringRun.Input("", Long.MIN_VALUE, new byte[0]);

    /** What the window held, once read to its end. */
    public record Counts(int partitions, int topicPartitions, long offsets, long read, long undecodable, long filtered, long outsideWindow) {
    }

    private final String topic;
    private final Instant from;
    private final Instant to;
    private final SeriesPattern series;
    private final Duration stallTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, Long> starts = new HashMap<>();
    private final Map<TopicPartition, Long> stops = new HashMap<>();
    private final List<BlockingQueue<ScoringRun.Input>> queues = new ArrayList<>();
    private final ScoringRun.Input[] heads;
    private final boolean[] ended;
    private final int topicPartitions;
    private final long offsets;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong outsideWindow = new AtomicLong();
    private final Thread fetcher;
    private volatile boolean closing;
    private ScoringRun.Input next;

    /**
     * Plans the window and starts reading it.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public TopicWindow(Map<String, Object> clientConfig, String topic, Instant from, Instant to, SeriesPattern series, Duration stallTimeout) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        this.topic = topic;
        this.from = from;
        this.to = to;
        this.series = series;
        this.stallTimeout = stallTimeout;
        this.consumer = new KafkaConsumer<>(consumerConfig(clientConfig));
        try {
            List<TopicPartition> all = Replayer.partitionsOf(consumer, topic);
            this.topicPartitions = all.size();
            Replayer.plan(consumer, from, to, all, starts, stops);
            partitions.addAll(starts.keySet());
            partitions.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        this.offsets = partitions.stream().mapToLong(tp -> stops.get(tp) - starts.get(tp)).sum();
        this.heads = new ScoringRun.Input[partitions.size()];
        this.ended = new boolean[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            queues.add(new ArrayBlockingQueue<>(QUEUE + MAX_POLL));
        }
        this.fetcher = new Thread(this::fetch, "seismo-backfill-fetcher");
        fetcher.setDaemon(true);
        fetcher.start();
    }

    /** Offsets in the window over all partitions: an upper bound on the readings it holds. */
    public long offsets() {
        return offsets;
    }

    /** Partitions with records in the window. */
    public int partitions() {
        return partitions.size();
    }

    /** What was read so far (all of the window once {@link #hasNext()} is false). */
    public Counts counts() {
        return new Counts(partitions.size(), topicPartitions, offsets, read.get(), undecodable.get(), filtered.get(), outsideWindow.get());
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = merge();
        }
        return next != null;
    }

    @Override
    public ScoringRun.Input next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ScoringRun.Input out = next;
        next = null;
        return out;
    }

    /** The earliest head among the partitions still open, or null once all have ended. */
    private ScoringRun.Input merge() {
        int best = -1;
        for (int p = 0; p < heads.length; p++) {
            if (ended[p]) {
                continue;
            }
            if (heads[p] == null) {
                ScoringRun.Input head = take(p);
                if (head == END) {
                    ended[p] = true;
                    continue;
                }
                heads[p] = head;
            }
            if (best < 0 || heads[p].timestamp() < heads[best].timestamp()) {
                best = p;
            }
        }
        if (best < 0) {
            return null;
        }
        ScoringRun.Input out = heads[best];
        heads[best] = null;
        return out;
    }

    private ScoringRun.Input take(int p) {
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        while (true) {
            ScoringRun.Input head;
            try {
                head = queues.get(p).poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + topic, e);
            }
            if (head != null) {
                return head;
            }
            Throwable f = failure.get();
            if (f != null) {
                throw new IllegalStateException("reading " + topic + " failed: " + f, f);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + partitions.get(p) + " made no progress for " + stallTimeout.toSeconds() + " s");
            }
        }
    }

    /** The fetching thread: reads every partition of the window into its queue, then an end marker. */
    private void fetch() {
        try {
            consumer.assign(partitions);
            starts.forEach(consumer::seek);
            List<TopicPartition> open = new ArrayList<>(partitions);
            List<TopicPartition> paused = new ArrayList<>();
            while (!open.isEmpty() && !closing) {
                paused.clear();
                List<TopicPartition> resumed = new ArrayList<>();
                for (TopicPartition tp : open) {
                    if (queues.get(partitions.indexOf(tp)).size() >= QUEUE) {
                        paused.add(tp);
                    } else {
                        resumed.add(tp);
                    }
                }
                consumer.pause(paused);
                consumer.resume(resumed);
                if (resumed.isEmpty()) {
                    Thread.sleep(5);
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (TopicPartition tp : records.partitions()) {
                    int p = partitions.indexOf(tp);
                    long stop = stops.get(tp);
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (r.offset() < stop) {
                            accept(p, r);
                        }
                    }
                }
                for (TopicPartition tp : List.copyOf(open)) {
                    if (consumer.position(tp) >= stops.get(tp)) {
                        queues.get(partitions.indexOf(tp)).put(END);
                        open.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            if (!closing) {
                failure.compareAndSet(null, e);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void accept(int p, ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
        read.incrementAndGet();
        if (!Replayer.isReading(r.value())) {
            undecodable.incrementAndGet();
            return;
        }
        // offsetsForTimes finds offsets by the log's timestamp index; a late record between them may still fall outside.
        if (r.timestamp() < from.toEpochMilli() || r.timestamp() >= to.toEpochMilli()) {
            outsideWindow.incrementAndGet();
            return;
        }
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (!series.matches(key)) {
            filtered.incrementAndGet();
            return;
        }
        queues.get(p).put(new ScoringRun.Input(key, r.timestamp(), r.value()));
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> clientConfig) {
        Map<String, Object> props = Replayer.windowConsumerConfig(clientConfig);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL);
        // A backfill streams a window larger than its heap: bound what the consumer buffers ahead (Kafka's default lets
        // one fetch hold 50 MB, which a small heap cannot take on top of the queues).
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_BYTES);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.min(FETCH_BYTES, 1 << 20));
        return props;
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            fetcher.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
