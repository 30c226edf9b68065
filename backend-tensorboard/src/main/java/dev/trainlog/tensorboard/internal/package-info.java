/**
 * The TensorBoard backend behind {@code type: tensorboard}: writes event files (TFRecord-framed {@code Event}
 * protos, encoded directly) that TensorBoard reads, with scalars, histograms, text and HParams sessions.
 * Internal: public only for use across TrainLog's own packages and modules; not API, with no compatibility
 * promise.
 */
package dev.trainlog.tensorboard.internal;
