package io.seismo.score;

import java.util.List;

import io.seismo.config.SeismoConfig;
import io.seismo.schema.ModelRelease;
import io.seismo.stream.DetectorOutputs;
import io.seismo.stream.InProcessDetector;

/** The production topology driven in this thread, without a broker ({@link InProcessDetector}). */
final class InProcessJudge implements Judge {
    private final InProcessDetector detector;
    private final String modelName;

    InProcessJudge(SeismoConfig config) {
        this.detector = new InProcessDetector(config);
        this.modelName = config.model().name();
    }

    @Override
    public void judge(List<ScoringRun.Input> batch, DetectorOutputs out) {
        for (ScoringRun.Input in : batch) {
            detector.judge(in.key(), in.timestamp(), in.value(), out);
        }
    }

    @Override
    public void publish(ModelRelease release) {
        detector.publish(release);
        if (detector.releaseInForce() != release.getVersion()) {
            throw new IllegalStateException("release " + release.getVersion() + " of model '" + modelName + "' did not reach the model store"
                    + " (it holds " + detector.releaseInForce() + ")");
        }
    }

    @Override
    public void close() {
        detector.close();
    }
}
