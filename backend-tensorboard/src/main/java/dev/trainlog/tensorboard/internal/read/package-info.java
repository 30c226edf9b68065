/**
 * Reads TensorBoard event files written by any writer (TensorFlow, PyTorch, tensorboardX, this
 * module's backend): {@link dev.trainlog.tensorboard.internal.read.TensorBoardLogDir} finds the runs of a log
 * directory and {@link dev.trainlog.tensorboard.internal.read.EventFileReader} streams a file's records as
 * {@link dev.trainlog.tensorboard.internal.read.TbRecord}s, resumable at a byte offset for files still being
 * written. The protobuf wire format is decoded by hand, so no protobuf runtime is needed. Internal (the
 * {@code trainlog} command uses it): not API, with no compatibility promise.
 */
package dev.trainlog.tensorboard.internal.read;
