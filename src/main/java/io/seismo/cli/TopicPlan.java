package io.seismo.cli;

import java.util.List;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicSpec;

/** The topics Seismo needs, with their partitions and configs. */
final class TopicPlan {
    private TopicPlan() {
    }

    static List<TopicSpec> of(SeismoConfig config) {
        SeismoConfig.Topics t = config.topics();
        int p = t.partitions();
        short rf = (short) t.replicationFactor();
        Map<String, String> minIsr = rf > 1 ? Map.of("min.insync.replicas", Integer.toString(Math.min(2, rf))) : Map.of();
        return List.of(
                new TopicSpec(t.readings(), p, rf, minIsr),
                new TopicSpec(t.anomalies(), p, rf, minIsr),
                new TopicSpec(t.training(), p, rf, minIsr),
                new TopicSpec(t.deadLetter(), p, rf, minIsr),
                new TopicSpec(t.models(), 1, rf, Map.of(
                        "cleanup.policy", "compact",
                        "max.message.bytes", Integer.toString(t.modelsMaxMessageBytes()))));
    }
}
