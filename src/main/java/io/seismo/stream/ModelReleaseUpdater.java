package io.seismo.stream;

import io.seismo.schema.ModelRelease;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which release of each model the global model store holds: a release replaces the stored one only when its
 * version is higher. Undecodable releases are logged and skipped (a global store cannot forward to a dead-letter topic).
 */
public final class ModelReleaseUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelReleaseUpdater.class);

    private final String storeName;
    private final ModelBoard board;
    private KeyValueStore<String, ModelRelease> store;

    public ModelReleaseUpdater(String storeName) {
        this(storeName, new ModelBoard());
    }

    ModelReleaseUpdater(String storeName, ModelBoard board) {
        this.storeName = storeName;
        this.board = board;
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
            release = SeismoSerdes.MODEL.decode(record.value());
        } catch (SerializationException e) {
            LOG.error("ignoring undecodable model release for '{}': {}", record.key(), e.getMessage());
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
