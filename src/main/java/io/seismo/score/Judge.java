package io.seismo.score;

import java.util.List;

import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorOutputs;

/**
 * What drives the production topology during a scoring run: in this thread ({@link InProcessJudge}) or through a broker
 * and a running Kafka Streams application ({@link BrokerJudge}). Either way the decision is the topology's; the driver
 * only carries readings in and what the detector wrote out.
 */
interface Judge extends AutoCloseable {

    /** Judges every reading of the batch (each one is scored or dead-lettered) and hands what was written to {@code out}. */
    void judge(List<ScoringRun.Input> batch, DetectorOutputs out);

    /** Publishes a release on the run's models topic and returns once the detector has it in force. */
    void publish(ModelRelease release);

    @Override
    void close();
}
