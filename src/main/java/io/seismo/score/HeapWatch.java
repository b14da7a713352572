package io.seismo.score;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap left after each garbage collection, sampled while a long run goes on, against how far the run is: a run whose
 * memory does not grow with its input shows the same level from its first quarter to its last. Reads the collectors'
 * own after-collection figures, so it forces no collection.
 */
public final class HeapWatch implements AutoCloseable {
    /** The heap after the latest collection when the run had done {@code progress}. */
    public record Sample(long progress, long heapAfterGc) {
    }

    private final AtomicLong progress = new AtomicLong();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    public HeapWatch(long periodMillis) {
        thread = new Thread(() -> {
            while (!stop) {
                long heap = heapAfterGc();
                synchronized (samples) {
                    samples.add(new Sample(progress.get(), heap));
                }
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "seismo-heap-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** How far the run is (readings judged, say). */
    public void progress(long done) {
        progress.set(done);
    }

    /** Bytes of heap in use after the latest collection, over every heap pool (0 before the first collection). */
    public static long heapAfterGc() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null) {
                total += after.getUsed();
            }
        }
        return total;
    }

    /**
     * The highest heap after GC seen in each of {@code parts} equal parts of the run's progress (up to {@code total}), in
     * bytes; -1 for a part without a sample.
     */
    public long[] peakByPart(long total, int parts) {
        long[] peak = new long[parts];
        java.util.Arrays.fill(peak, -1);
        synchronized (samples) {
            for (Sample s : samples) {
                int part = (int) Math.min(parts - 1, total <= 0 ? 0 : s.progress() * parts / total);
                peak[part] = Math.max(peak[part], s.heapAfterGc());
            }
        }
        return peak;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
