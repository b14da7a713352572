package io.seismo.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.seismo.kafka.ClientConfigs;
import io.seismo.schema.Reading;
import io.seismo.sim.SimReading;
import io.seismo.sim.Simulator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;

/** Produces the simulator's readings to a topic at a steady pace: one tick (a reading of every series) per period. */
public final class SimulationFeed implements AutoCloseable {
    private final Simulator simulator;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Serde<Reading> readings;
    private long produced;

    /** Sends readings encoded by {@code readings} (the configured format's; closed with the feed). */
    public SimulationFeed(Simulator simulator, Map<String, Object> clientConfig, String topic, Serde<Reading> readings) {
        this.simulator = simulator;
        this.topic = topic;
        this.readings = readings;
        // Ordered, non-idempotent sends: a simulator needs no exactly-once, and a retried duplicate is dead-lettered
        // (OUT_OF_ORDER) rather than lost.
        this.producer = new KafkaProducer<>(ClientConfigs.orderedProducer(clientConfig, 5));
    }

    /** A reading encoded as the feed sends readings. */
    byte[] encode(Reading reading) {
        return readings.serializer().serialize(topic, reading);
    }

    /** Readings sent so far. */
    public long produced() {
        return produced;
    }

    /** The producer, for sending extra records (e.g. deliberately bad ones) to the same cluster. */
    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    /**
     * Sends ticks at {@code ticksPerSecond} until {@code maxTicks} are sent or {@code stop} says so; calls {@code afterTick}
     * after each tick.
     */
    public void run(double ticksPerSecond, long maxTicks, BooleanSupplier stop, Runnable afterTick) throws InterruptedException {
        long periodNanos = (long) (1e9 / ticksPerSecond);
        long start = System.nanoTime();
        for (long i = 0; i < maxTicks && !stop.getAsBoolean(); i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            List<SimReading> tick = simulator.nextTick();
            for (SimReading r : tick) {
                Reading reading = new Reading(r.series(), Instant.ofEpochMilli(r.timestamp()), r.value());
                producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.series(), encode(reading)));
                produced++;
            }
            afterTick.run();
        }
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
        readings.close();
    }

    /** An event-time start so that the last tick lands an hour before now (brokers refuse records far in the future). */
    public static long startMillisFor(long ticks, long stepMillis) {
        return System.currentTimeMillis() - ticks * stepMillis - 3_600_000L;
    }

    /** A {@link ProducerRecord} for raw bytes on a topic, for deliberately malformed input. */
    static ProducerRecord<String, byte[]> raw(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key, value);
    }
}
