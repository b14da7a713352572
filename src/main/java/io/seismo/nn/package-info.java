/**
 * Numeric core of Seismo: recurrent cells, the stacked network with its linear head, and the trainer.
 *
 * <p>Depends on the JDK only. Kernels work on flat {@code double[]} arrays with explicit offsets and
 * shapes; callers own the output buffers so that inference allocates nothing per step. {@code Network.step} is the
 * exact double-precision step that training uses; {@code InferenceKernel} is the same step in float32, laid out for
 * the JIT's vectoriser, which the detector runs per reading.
 */
package io.seismo.nn;
