package io.seismo.stream;

import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicSpec;

/**
 * The topics {@link SeismoTopology} and the trainer read and write, with their partitions and configs: what has to exist
 * on the cluster before the topology starts. Kept beside the topology, whose topic contract it is.
 */
public final class TopicPlan {
    private TopicPlan() {
    }

    public static List<TopicSpec> of(SeismoConfig config) {
        SeismoConfig.Topics t = config.topics();
        int p = t.partitions();
        int rf = t.replicationFactor();
        List<TopicSpec> plan = new java.util.ArrayList<>(List.of(
                TopicSpec.of(t.readings(), p).withReplicationFactor(rf),
                TopicSpec.of(t.anomalies(), p).withReplicationFactor(rf),
                TopicSpec.of(t.training(), p).withReplicationFactor(rf),
                TopicSpec.of(t.deadLetter(), p).withReplicationFactor(rf),
                // Keyed by series and read with the readings (same partitions): co-partitioned with them.
                TopicSpec.of(t.feedback(), p).withReplicationFactor(rf),
                TopicSpec.compacted(t.models(), 1, t.modelsMaxMessageBytes()).withReplicationFactor(rf)));
        if (t.scoresEnabled()) {
            plan.add(TopicSpec.of(t.scores(), p).withReplicationFactor(rf));
        }
        return List.copyOf(plan);
    }
}
