package io.seismo.demo;

import io.seismo.config.SeismoConfig;
import io.seismo.stream.DetectorApp;
import io.seismo.train.TrainerListener;

/**
 * What the demo runs on, handed to it by the command line: connecting to the cluster (the embedded broker, Seismo's
 * topics) and serving the HTTP API are the CLI's alone, as for {@code seismo run}.
 */
public interface Platform {
    /** Connects to the cluster {@code config} names, starting the embedded broker it asks for and creating missing topics. */
    Connection connect(SeismoConfig config);

    /** Starts the HTTP API and metrics when the configuration enables them. */
    Api serve(SeismoConfig config);

    /** A connected cluster; closing it stops the embedded broker, if one was started. */
    interface Connection extends AutoCloseable {
        /** The configuration with the real bootstrap servers. */
        SeismoConfig config();

        @Override
        void close();
    }

    /** The HTTP API of a process that runs the detector; closed after the detector. */
    interface Api extends AutoCloseable {
        /** The server's URL, or null when it is off. */
        String url();

        /** A detector reporting to the metrics and served by the API (not started). */
        DetectorApp detector(SeismoConfig config);

        /** {@code listener}, also counting the trainer's runs, releases and refusals in the metrics. */
        TrainerListener counting(TrainerListener listener);

        @Override
        void close();
    }
}
