package io.seismo.score;

import java.time.Duration;
import java.util.function.Consumer;

import io.seismo.config.SeismoConfig;
import io.seismo.kafka.TopicAdmin;
import io.seismo.kafka.TopicSpec;
import io.seismo.stream.TopicPlan;

/** Topics of a broker-driven run: created before it (kept whole while it runs), deleted after it unless kept. */
public final class BrokerRunTopics implements FileScoring.RunTopics {
    private final boolean keep;
    private final Consumer<String> warnings;

    /**
     * @param keep     keep the run's topics after it instead of deleting them
     * @param warnings hears, in one line, that the topics could not be deleted (the run itself succeeded)
     */
    public BrokerRunTopics(boolean keep, Consumer<String> warnings) {
        this.keep = keep;
        this.warnings = warnings;
    }

    /** What a run on {@code engine} needs of its topics: these on the broker, nothing in process. */
    public static FileScoring.RunTopics forEngine(ScoringRun.Engine engine, boolean keep, Consumer<String> warnings) {
        return engine == ScoringRun.Engine.BROKER ? new BrokerRunTopics(keep, warnings) : FileScoring.RunTopics.NONE;
    }

    @Override
    public void create(SeismoConfig run) {
        TopicAdmin.ensureTopics(run.clientConfig(), TopicPlan.of(run).stream().map(BrokerRunTopics::keptWhileRunning).toList(),
                Duration.ofSeconds(60));
    }

    @Override
    public void delete(SeismoConfig run, String prefix) {
        if (keep) {
            return;
        }
        try {
            TopicAdmin.deleteTopicsWithPrefix(run.clientConfig(), prefix, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            warnings.accept("could not delete the run's topics (" + prefix + "*): " + e.getMessage());
        }
    }

    /**
     * A run's private topics carry the readings' own (often old) event times; under the broker's default time-based
     * retention (seven days) a record older than that is deleted at the broker's next retention check, possibly before
     * the run has read it back. They are deleted at the end of the run, so they keep everything until then.
     */
    private static TopicSpec keptWhileRunning(TopicSpec spec) {
        return "compact".equals(spec.configs().get("cleanup.policy")) ? spec : spec.withConfig("retention.ms", "-1");
    }
}
