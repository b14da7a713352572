package io.seismo.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch's loss and gradient computed in fixed shards on a small thread pool.
 *
 * <p>A batch of n windows is cut into {@code s = min(n, }{@link #SHARDS}{@code )} contiguous shards, shard k
 * covering windows {@code [k * n / s, (k + 1) * n / s)}. Each shard accumulates its windows' gradient, in window
 * order, into its own zeroed buffer with its own workspace; the batch gradient is then shard 0 plus shard 1 plus
 * ... in shard order, and the loss likewise. The cut depends only on n, and which thread computes a shard cannot
 * change its bits, so the result is the same for every pool size. It differs from
 * {@link NextValueObjective#lossAndGradient} (one accumulation over the whole batch) only in the order of the
 * floating-point additions. Not thread-safe itself: one caller at a time.
 */
final class ShardedGradient implements AutoCloseable {

    static final int SHARDS = TrainingConfig.MAX_THREADS;

    private final int steps;
    private final ExecutorService pool;
    private final Workspace[] workspaces;
    private final double[][] gradients;
    private final double[] sumSquares;

    /**
     * @param steps steps per window
     * @param maxWindows most windows a batch will hold
     */
    ShardedGradient(NetworkShape shape, int steps, int threads, int maxWindows) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        this.steps = steps;
        int shards = Math.max(1, Math.min(maxWindows, SHARDS));
        workspaces = new Workspace[shards];
        gradients = new double[shards][];
        for (int k = 0; k < shards; k++) {
            workspaces[k] = new Workspace(shape, steps);
            gradients[k] = new double[shape.parameterCount()];
        }
        sumSquares = new double[shards];
        pool = Executors.newFixedThreadPool(threads, daemonThreads());
    }

    /** The number of shards a batch of {@code windowCount} windows is cut into. */
    static int shardCount(int windowCount) {
        return Math.min(windowCount, SHARDS);
    }

    /**
     * Mean squared error of the batch and its gradient, as {@link NextValueObjective#lossAndGradient} but summed
     * by shard.
     *
     * @param params read only; must not change until this returns
     * @param inputs read only
     * @param targets read only
     * @param masks read only; null for no dropout
     * @param gradOut overwritten with dLoss/dparams
     * @throws IllegalStateException if interrupted while waiting for the shards
     */
    double lossAndGradient(double[] params, double[] inputs, double[] targets, int windowCount, double[] masks,
                           double[] gradOut) {
        if (windowCount < 1 || shardCount(windowCount) > workspaces.length) {
            throw new IllegalArgumentException("windowCount must be between 1 and the "
                    + workspaces.length + " shards' capacity but was " + windowCount);
        }
        int shards = shardCount(windowCount);
        double predictionCount = (double) windowCount * steps;
        double errorScale = 2.0 / predictionCount;
        List<Callable<Void>> tasks = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            int shard = k;
            int from = (int) ((long) k * windowCount / shards);
            int to = (int) ((long) (k + 1) * windowCount / shards);
            tasks.add(() -> {
                double[] gradient = gradients[shard];
                Arrays.fill(gradient, 0.0);
                sumSquares[shard] = NextValueObjective.accumulate(params, inputs, targets, from, to - from, steps,
                        masks, errorScale, gradient, workspaces[shard]);
                return null;
            });
        }
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing a batch gradient", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a gradient shard failed", cause);
        }
        System.arraycopy(gradients[0], 0, gradOut, 0, gradOut.length);
        double total = sumSquares[0];
        for (int k = 1; k < shards; k++) {
            double[] gradient = gradients[k];
            for (int p = 0; p < gradOut.length; p++) {
                gradOut[p] += gradient[p];
            }
            total += sumSquares[k];
        }
        return total / predictionCount;
    }

    /** Stops the pool's threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "seismo-nn-train-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
