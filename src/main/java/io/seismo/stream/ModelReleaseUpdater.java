package io.seismo.stream;

import io.seismo.release.ModelReleases;
import io.seismo.release.RejectionReason;
import io.seismo.release.ReleaseRejectedException;
import io.seismo.schema.ModelRelease;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which release of each model the global model store holds: a release replaces the stored one only when its
 * version is higher. A record that is not a usable release (undecodable, a version out of range, weights whose checksum
 * does not match: {@link ModelReleases#decodeVerified}) is logged, counted and never stored, so it can neither replace
 * the release in force nor block later ones (a global store cannot forward to a dead-letter topic).
 */
public final class ModelReleaseUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelReleaseUpdater.class);

    private final String storeName;
    private final ModelBoard board;
    private final DetectorMetrics metrics;
    private KeyValueStore<String, ModelRelease> store;

    public ModelReleaseUpdater(String storeName) {
        this(storeName, new ModelBoard(), DetectorMetrics.NONE);
    }

    ModelReleaseUpdater(String storeName, ModelBoard board, DetectorMetrics metrics) {
        this.storeName = storeName;
        this.board = board;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            LOG.warn("ignoring model record without key or value");
            return;
        }
        ModelRelease release;
        try {
            release = ModelReleases.decodeVerified(record.value());
            if (!record.key().equals(release.getModelName())) {
                throw new ReleaseRejectedException(RejectionReason.UNDECODABLE, "a release of model '"
                        + release.getModelName() + "' keyed as model '" + record.key() + "'");
            }
        } catch (RuntimeException e) {
            metrics.modelRejected(ReleaseRejectedException.reasonOf(e));
            LOG.error("refusing a record on the models topic for '{}': {}", ReadingValidator.abbreviate(record.key()), e.getMessage());
            return;
        }
        ModelRelease current = store.get(record.key());
        if (current != null && current.getVersion() >= release.getVersion()) {
            LOG.info("ignoring release {} of model '{}': version {} is already in force",
                    release.getVersion(), record.key(), current.getVersion());
            return;
        }
        // Announced first: a detector that sees the announcement before the store has the release simply looks again.
        board.announce(release.getVersion());
        store.put(record.key(), release);
    }
}
