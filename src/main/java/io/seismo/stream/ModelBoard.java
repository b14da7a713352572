package io.seismo.stream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest release version the global model store has taken, shared by one topology's model updater and its
 * detectors. The updater raises it just before it stores a release; a detector compares it with the version it holds
 * on every reading (one volatile read) and looks the release up only when they differ. So a new release is in force
 * from the first reading processed after the store has it, whatever the wall clock does: two event-time runs that
 * publish releases at the same points of the input swap at the same readings.
 */
final class ModelBoard {
    private final AtomicLong latest = new AtomicLong();

    void announce(long version) {
        latest.accumulateAndGet(version, Math::max);
    }

    long latest() {
        return latest.get();
    }
}
