package io.seismo.train;

import io.seismo.release.RejectionReason;
import io.seismo.schema.ModelRelease;

/** What the trainer tells the outside about its work. Called on the trainer's thread. */
public interface TrainerListener {
    /** A training run starts. */
    default void trainingStarted(int series, long samples) {
    }

    /** An epoch of the running training run ended. */
    default void epochEnded(int epoch, int maxEpochs) {
    }

    /** A release was published. */
    default void released(ModelRelease release) {
    }

    /** A candidate was not published, with the reason. */
    default void rejected(String reason) {
    }

    /** A record on the models topic was not a usable release, or the latest could not be warm-started from. */
    default void releaseRefused(RejectionReason reason) {
    }

    /** The trainer stopped on a failure (the cluster refused its credentials or rights, for example). */
    default void failed(RuntimeException failure) {
    }

    /**
     * Another trainer of the same group took over (it joined with the group's instance id): this one stopped, on purpose
     * and for good, so that one trainer per group publishes.
     */
    default void takenOver(String reason) {
    }

    TrainerListener NONE = new TrainerListener() {
    };
}
