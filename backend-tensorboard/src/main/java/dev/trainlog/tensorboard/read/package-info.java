/**
 * Reads TensorBoard event files written by any writer (TensorFlow, PyTorch, tensorboardX, this
 * module's backend): {@link dev.trainlog.tensorboard.read.TensorBoardLogDir} finds the runs of a log
 * directory and {@link dev.trainlog.tensorboard.read.EventFileReader} streams a file's records as
 * {@link dev.trainlog.tensorboard.read.TbRecord}s, resumable at a byte offset for files still being
 * written. The protobuf wire format is decoded by hand, so no protobuf runtime is needed. API: the
 * {@code trainlog} command's {@code import} and {@code follow} read through it, and so may any program.
 */
package dev.trainlog.tensorboard.read;
