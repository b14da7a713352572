package io.seismo.stream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inputs whose outputs the broker refused (a record too large, a timestamp outside the topic's bounds), remembered
 * so that when the input is read again it is dead-lettered instead of processed the same way. Under exactly-once a
 * refused send dooms its transaction: Kafka Streams aborts it and processes the input again from the last commit, and
 * without this memory the same output would be refused again, forever.
 *
 * <p>Two kinds of entries: a reading (series and event time, the key and timestamp every detector output and changelog
 * record carries) and a source record (topic, partition, offset, named by a refused dead letter's {@code seismo.source}
 * header). Each entry counts its refusals: the first one makes the processors dead-letter the input in a form the broker
 * accepts, the second (that dead letter refused too) makes them drop it with an error log, counted in
 * {@link #dropped()}. Bounded ({@value #CAPACITY} entries, oldest forgotten first); thread-safe; per process, so a
 * restart forgets it and at worst refuses an input once more before it is dead-lettered.
 */
public final class RefusedOutputs {
    static final int CAPACITY = 10_000;

    /** What was refused about an input: how many times, and the last refusal's description. */
    public record Refusal(int times, String why) {
    }

    private final Map<String, Refusal> entries = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Refusal> eldest) {
            return size() > CAPACITY;
        }
    };
    /** Lets the per-record lookups skip the lock while nothing was ever refused, which is almost always. */
    private volatile boolean empty = true;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /** Remembers that an output of the reading of {@code series} at {@code timestamp} was refused. */
    public void refusedReading(byte[] seriesKey, long timestamp, String why) {
        add(readingKey(seriesKey == null ? "" : new String(seriesKey, StandardCharsets.UTF_8), timestamp), why);
    }

    /** Remembers that the dead letter of the record at topic/partition@offset was refused. */
    public void refusedSource(String source, String why) {
        add("s|" + source, why);
    }

    /** The refusal recorded for the reading of {@code series} at {@code timestamp}, or null. */
    public Refusal forReading(String series, long timestamp) {
        return empty ? null : get(readingKey(series, timestamp));
    }

    /** The refusal recorded for the dead letter of the record at {@code topic/partition@offset}, or null. */
    public Refusal forSource(String topic, int partition, long offset) {
        return empty ? null : get("s|" + source(topic, partition, offset));
    }

    /** An input dropped because even its reduced dead letter was refused. */
    void dropped() {
        dropped.incrementAndGet();
    }

    /** How many inputs were dropped because even their reduced dead letters were refused. */
    public long droppedCount() {
        return dropped.get();
    }

    /** How many outputs the broker refused. */
    public long refusalCount() {
        return refusals.get();
    }

    /** The text of a {@code seismo.source} header. */
    static String source(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private static String readingKey(String series, long timestamp) {
        return "r|" + timestamp + "|" + series;
    }

    private synchronized void add(String key, String why) {
        refusals.incrementAndGet();
        Refusal before = entries.get(key);
        entries.put(key, new Refusal(before == null ? 1 : before.times() + 1, why));
        empty = false;
    }

    private synchronized Refusal get(String key) {
        return entries.get(key);
    }
}
