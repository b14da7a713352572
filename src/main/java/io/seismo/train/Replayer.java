package io.seismo.train;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.seismo.schema.Reading;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Copies a time window of history from a readings topic to the training topic, so the trainer (which consumes that
 * topic in its own group) learns from it. Each partition is read, with {@code read_committed}, from the first offset
 * whose timestamp is at or after {@code from} up to the first at or after {@code to} (or its end); readings of the
 * matching series are re-produced unchanged (key, value bytes, timestamp, headers) with an idempotent producer.
 * Records that are not Avro {@link Reading}s in the readings' format are counted and skipped. The training topic carries
 * readings in the readings topic's format (the detector forwards them as they came), so the copy re-encodes nothing.
 * Kafka clients only; not thread-safe.
 */
public final class Replayer {
    private static final BinaryMessageDecoder<Reading> READINGS = Reading.getDecoder();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    /** What to replay: the source topic, the window [from, to), the series kept and the topic written to. */
    public record Request(String topic, Instant from, Instant to, SeriesPattern series, String target) {
        public Request {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
            }
        }
    }

    /** Told the size of the work once, then how far it got after every poll; called on the replaying thread. */
    public interface Progress {
        Progress NONE = new Progress() {
        };

        /** The partitions with records in the window and the offsets to read over all of them. */
        default void planned(int partitions, long offsets) {
        }

        /** Offsets read so far over all partitions (records plus transaction markers). */
        default void advanced(long offsetsRead) {
        }
    }

    /**
     * What a replay did.
     *
     * @param partitions     partitions that had records in the window
     * @param topicPartitions partitions of the source topic
     * @param read           records read between the start and stop offsets
     * @param matched        readings of a matching series inside the window
     * @param undecodable    records whose value is not an Avro Reading
     * @param filtered       readings of a series the pattern does not match
     * @param outsideWindow  readings between the offsets whose own timestamp lies outside [from, to)
     * @param written        records acknowledged by the target topic
     * @param first          earliest timestamp of a matched reading, or null when none matched
     * @param last           latest timestamp of a matched reading, or null when none matched
     */
    public record Summary(int partitions, int topicPartitions, long read, long matched, long undecodable, long filtered,
                          long outsideWindow, long written, Instant first, Instant last, Duration elapsed) {
        /** Records read per second. */
        public double rate() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds > 0 ? read / seconds : 0;
        }
    }

    private final Map<String, Object> clientConfig;
    private final Duration stallTimeout;
    private final Deserializer<Reading> readings;

    /** A replayer of readings in Avro single-object encoding. */
    public Replayer(Map<String, Object> clientConfig, Duration stallTimeout) {
        this(clientConfig, stallTimeout, null);
    }

    /**
     * @param clientConfig settings every Kafka client starts from (bootstrap servers, security)
     * @param stallTimeout how long reading may make no progress before the replay fails
     * @param readings     the deserializer of {@code serde.format} that tells readings from other records (the caller
     *                     closes it); null for Avro single-object encoding
     */
    public Replayer(Map<String, Object> clientConfig, Duration stallTimeout, Deserializer<Reading> readings) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.stallTimeout = stallTimeout;
        this.readings = readings;
    }

    /**
     * Replays one window.
     *
     * @throws IllegalArgumentException when the source topic does not exist
     * @throws IllegalStateException when writing fails or reading stalls
     */
    public Summary replay(Request request, Progress progress) {
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
            List<TopicPartition> all = partitionsOf(consumer, request.topic());
            Map<TopicPartition, Long> starts = new LinkedHashMap<>();
            Map<TopicPartition, Long> stops = new HashMap<>();
            plan(consumer, request, all, starts, stops);
            long total = starts.entrySet().stream().mapToLong(e -> stops.get(e.getKey()) - e.getValue()).sum();
            progress.planned(starts.size(), total);

            Copy copy = new Copy(request, producer, readings);
            consumer.assign(starts.keySet());
            starts.forEach(consumer::seek);
            Map<TopicPartition, Long> positions = new HashMap<>(starts);
            List<TopicPartition> remaining = new ArrayList<>(starts.keySet());
            long offsetsRead = 0;
            long lastProgress = System.nanoTime();
            while (!remaining.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    long stop = stops.get(tp);
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (r.offset() < stop) {
                            copy.accept(r);
                        }
                    }
                }
                boolean moved = false;
                for (TopicPartition tp : List.copyOf(remaining)) {
                    long stop = stops.get(tp);
                    long position = Math.min(consumer.position(tp), stop);
                    long before = positions.put(tp, position);
                    if (position > before) {
                        offsetsRead += position - before;
                        moved = true;
                    }
                    if (position >= stop) {
                        remaining.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
                copy.check();
                if (moved) {
                    lastProgress = System.nanoTime();
                    progress.advanced(offsetsRead);
                } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    throw new IllegalStateException("reading " + request.topic() + " made no progress for " + stallTimeout.toSeconds()
                            + " s; partitions left: " + remaining);
                }
            }
            producer.flush();
            copy.check();
            return new Summary(starts.size(), all.size(), copy.read, copy.matched, copy.undecodable, copy.filtered,
                    copy.outsideWindow, copy.written.get(), copy.first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(copy.first),
                    copy.last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(copy.last), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The partitions of a topic, in partition order. @throws IllegalArgumentException when the topic does not exist */
    public static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(METADATA_TIMEOUT);
        List<PartitionInfo> infos = topics.get(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : infos) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        partitions.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        return partitions;
    }

    /** Start offsets (first record at or after from) and stop offsets (first at or after to, else the end); empty partitions left out. */
    private static void plan(KafkaConsumer<byte[], byte[]> consumer, Request request, List<TopicPartition> partitions,
                             Map<TopicPartition, Long> starts, Map<TopicPartition, Long> stops) {
        plan(consumer, request.from(), request.to(), partitions, starts, stops);
    }

    /**
     * The offsets of a time window [from, to) in each partition: start offsets (first record at or after from) and stop
     * offsets (first at or after to, else the end; with read_committed the last stable offset); empty partitions left out.
     */
    public static void plan(KafkaConsumer<byte[], byte[]> consumer, Instant from, Instant to, List<TopicPartition> partitions,
                            Map<TopicPartition, Long> starts, Map<TopicPartition, Long> stops) {
        Map<TopicPartition, Long> fromQuery = new HashMap<>();
        Map<TopicPartition, Long> toQuery = new HashMap<>();
        for (TopicPartition tp : partitions) {
            fromQuery.put(tp, from.toEpochMilli());
            toQuery.put(tp, to.toEpochMilli());
        }
        Map<TopicPartition, OffsetAndTimestamp> fromOffsets = consumer.offsetsForTimes(fromQuery, METADATA_TIMEOUT);
        Map<TopicPartition, OffsetAndTimestamp> toOffsets = consumer.offsetsForTimes(toQuery, METADATA_TIMEOUT);
        // With read_committed this is the last stable offset: an open transaction is not waited for.
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = fromOffsets.get(tp);
            if (start == null) {
                continue;
            }
            OffsetAndTimestamp atTo = toOffsets.get(tp);
            long end = ends.get(tp);
            long stop = atTo == null ? end : Math.min(atTo.offset(), end);
            if (start.offset() < stop) {
                starts.put(tp, start.offset());
                stops.put(tp, stop);
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        return windowConsumerConfig(clientConfig);
    }

    /** A consumer of a window of history: no group, no commits, read_committed, bytes in, no reset (offsets are planned). */
    public static Map<String, Object> windowConsumerConfig(Map<String, Object> clientConfig) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /** Classifies each record read and sends the matching readings; counts are kept on the replaying thread. */
    private static final class Copy {
        private final Request request;
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicLong written = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long read;
        private long matched;
        private long undecodable;
        private long filtered;
        private long outsideWindow;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        private final Deserializer<Reading> readings;

        Copy(Request request, KafkaProducer<byte[], byte[]> producer, Deserializer<Reading> readings) {
            this.request = request;
            this.producer = producer;
            this.readings = readings;
        }

        void accept(ConsumerRecord<byte[], byte[]> r) {
            read++;
            if (!decodes(r)) {
                undecodable++;
                return;
            }
            // offsetsForTimes finds offsets by the log's timestamp index; a late record between them may still fall outside.
            if (r.timestamp() < request.from().toEpochMilli() || r.timestamp() >= request.to().toEpochMilli()) {
                outsideWindow++;
                return;
            }
            String series = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (!request.series().matches(series)) {
                filtered++;
                return;
            }
            matched++;
            first = Math.min(first, r.timestamp());
            last = Math.max(last, r.timestamp());
            producer.send(new ProducerRecord<>(request.target(), null, r.timestamp(), r.key(), r.value(), r.headers()), (metadata, e) -> {
                if (e == null) {
                    written.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
        }

        private boolean decodes(ConsumerRecord<byte[], byte[]> r) {
            if (readings == null) {
                return isReading(r.value());
            }
            try {
                return r.value() != null && readings.deserialize(r.topic(), r.value()) != null;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** Fails the replay on the first write the target topic refused. */
        void check() {
            Exception e = failure.get();
            if (e != null) {
                throw new IllegalStateException("writing to " + request.target() + " failed after " + written.get() + " records: " + e, e);
            }
        }
    }

    /** Whether a record's value is an Avro Reading. */
    public static boolean isReading(byte[] value) {
        if (value == null) {
            return false;
        }
        try {
            READINGS.decode(value);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
