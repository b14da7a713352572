package io.seismo.api;

import java.util.List;

import io.seismo.schema.ModelRelease;

/** The releases of the configured model still on the models topic, oldest first (the trainer's catalog provides them). */
@FunctionalInterface
public interface ModelLineage {
    List<ModelRelease> releases();

    /** No releases known. */
    ModelLineage NONE = List::of;
}
