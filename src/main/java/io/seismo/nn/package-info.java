/**
 * Numeric core of Seismo: recurrent cells, the stacked network with its linear head, and the trainer.
 *
 * <p>Depends on the JDK only. Kernels work on flat {@code double[]} arrays with explicit offsets and
 * shapes; callers own the output buffers so that inference allocates nothing per step.
 */
package io.seismo.nn;
