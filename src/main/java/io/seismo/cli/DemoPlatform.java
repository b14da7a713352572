package io.seismo.cli;

import io.seismo.config.SeismoConfig;
import io.seismo.demo.Platform;
import io.seismo.stream.DetectorApp;
import io.seismo.train.TrainerListener;

/** The demo's platform as the commands have it: the cluster through {@link Cluster}, the HTTP API through {@link HttpApi}. */
final class DemoPlatform implements Platform {
    @Override
    public Connection connect(SeismoConfig config) {
        Cluster cluster = Cluster.connect(config, false);
        return new Connection() {
            @Override
            public SeismoConfig config() {
                return cluster.config();
            }

            @Override
            public void close() {
                cluster.close();
            }
        };
    }

    @Override
    public Api serve(SeismoConfig config) {
        HttpApi api = HttpApi.start(config);
        return new Api() {
            @Override
            public String url() {
                return api.url();
            }

            @Override
            public DetectorApp detector(SeismoConfig c) {
                return api.detector(c);
            }

            @Override
            public TrainerListener counting(TrainerListener listener) {
                return api.counting(listener);
            }

            @Override
            public void close() {
                api.close();
            }
        };
    }
}
