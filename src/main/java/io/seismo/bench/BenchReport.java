package io.seismo.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.seismo.score.ScoringRun;

/**
 * One part of what {@code seismo bench} measured, and how it is printed. The lines are read back by people comparing runs
 * and by {@code BenchCommandIT}: their layout is a contract.
 */
public sealed interface BenchReport {
    /** Writes this part's lines. */
    void print(PrintWriter out);

    /** What is about to be measured, and on which broker. */
    record Setup(int records, int keys, int partitions, String cell, int layers, int hidden, String guarantee, String broker)
            implements BenchReport {
        @Override
        public void print(PrintWriter o) {
            o.printf(Locale.ROOT, "bench: %,d readings over %,d series, %d partitions, %s %dx%d, %s; broker %s%n", records, keys, partitions,
                    cell, layers, hidden, guarantee, broker);
        }
    }

    /**
     * One topology's pass over the pre-produced readings: its rate over the whole pass (start-up included) and its steady
     * rate, from its first commit to its last (start-up, the group's join and the stores' opening left out).
     */
    record Pass(String name, double seconds, double recordsPerSecond, double steadyPerSecond, double allocatedPerRecord) {
    }

    /**
     * The detector's own per-reading work, without Kafka: over series past calibration (taken apart into decode, judge and
     * encode), the network step alone, and over full-grown series.
     */
    record OwnWork(double nanosPerReading, String shape, double decodeNanos, double judgeNanos, double encodeNanos, double nanosPerStep,
                   double grownNanosPerReading, double grownStateBytes) {
    }

    /** Both topologies' passes, their ratio, the detector's own work and the state it keeps per series. */
    record Throughput(Pass passThrough, Pass detector, OwnWork own, double stateBytesPerSeries) implements BenchReport {
        @Override
        public void print(PrintWriter o) {
            o.println();
            o.printf(Locale.ROOT, "%-14s %12s %10s %17s %22s%n", "topology", "records/s", "seconds", "steady records/s", "allocated B/record");
            for (Pass p : List.of(passThrough, detector)) {
                o.printf(Locale.ROOT, "%-14s %,12.0f %10.1f %,17.0f %,22.0f%n", p.name(), p.recordsPerSecond(), p.seconds(),
                        p.steadyPerSecond(), p.allocatedPerRecord());
            }
            o.printf(Locale.ROOT, "ratio detector / pass-through: %.2f (whole passes, start-up included: %.2f)%n",
                    detector.steadyPerSecond() / passThrough.steadyPerSecond(), detector.recordsPerSecond() / passThrough.recordsPerSecond());
            o.printf(Locale.ROOT, "detector's own work: %.2f µs per reading (%s, 1,000 series past calibration, no Kafka): decode %.2f,"
                    + " judge %.2f, encode %.2f µs timed apart; the network step alone %.2f µs%n", own.nanosPerReading() / 1e3,
                    own.shape(), own.decodeNanos() / 1e3, own.judgeNanos() / 1e3, own.encodeNanos() / 1e3, own.nanosPerStep() / 1e3);
            o.printf(Locale.ROOT, "detector's own work on full-grown series (50 series past 20,000 readings each): %.2f µs per reading;"
                    + " %,.0f bytes of state per series%n", own.grownNanosPerReading() / 1e3, own.grownStateBytes());
            o.printf(Locale.ROOT, "state per series: %,.0f bytes (latest changelog value per key, %s)%n", stateBytesPerSeries,
                    "series-state store, packed layout");
        }
    }

    /** End-to-end latency percentiles in milliseconds, over {@code readings} samples (NaN when there were none). */
    record Latency(double p50, double p99, double max, long readings) {
    }

    /** The pass-through's and the detector's latency at a fixed offered rate. */
    record Latencies(int rate, int seconds, Latency passThrough, Latency detector) implements BenchReport {
        @Override
        public void print(PrintWriter o) {
            o.printf(Locale.ROOT, "latency at %,d readings/s offered for %d s after 2 s unmeasured, read back with read_committed:%n", rate,
                    seconds);
            o.printf(Locale.ROOT, "  pass-through: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d readings)%n", passThrough.p50(),
                    passThrough.p99(), passThrough.max(), passThrough.readings());
            o.printf(Locale.ROOT, "  detector:     p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d readings judged normal)%n", detector.p50(),
                    detector.p99(), detector.max(), detector.readings());
        }
    }

    /** The process's memory at the end: heap after GC, RSS, and what RocksDB is allowed and holds. */
    record Memory(long heapUsed, long maxHeap, long rss, String rocksDb) implements BenchReport {
        @Override
        public void print(PrintWriter o) {
            o.printf(Locale.ROOT, "heap used after GC: %,d MB (max %,d MB); RSS %,d MB%n", heapUsed >> 20, maxHeap >> 20, rss >> 20);
            o.printf(Locale.ROOT, "RocksDB: %s%n", rocksDb);
        }
    }

    /**
     * A backfill of the pre-produced readings: its rate, the split between judging and training, and the highest heap after
     * GC in each quarter of the run ({@code heapPeaks}, bytes, -1 for a quarter without a sample).
     */
    record Backfill(ScoringRun.Summary summary, int series, double seconds, boolean retrain, long[] heapPeaks, long maxHeap, long rss)
            implements BenchReport {
        @Override
        public void print(PrintWriter o) {
            ScoringRun.Summary s = summary;
            o.printf(Locale.ROOT, "backfill: %,d readings of %,d series in %.1f s: %,.0f readings/s (in process, %s)%n", s.readings(),
                    series, seconds, s.readings() / seconds, retrain ? "retraining" : "no retraining");
            o.printf(Locale.ROOT, "time: judging %.1f s (%,.0f readings/s), training %.1f s in %d runs (%d published, %d refused)%n",
                    s.judging().toNanos() / 1e9, s.readings() / (s.judging().toNanos() / 1e9), s.training().toNanos() / 1e9,
                    s.releases().size() - 1 + s.refusals(), s.releases().size() - 1, s.refusals());
            o.printf(Locale.ROOT, "heap after GC, highest in each quarter of the run: %s MB (max heap %,d MB); RSS %,d MB%n",
                    Arrays.stream(heapPeaks).mapToObj(p -> p < 0 ? "-" : Long.toString(p >> 20)).toList(), maxHeap >> 20, rss >> 20);
        }
    }
}
