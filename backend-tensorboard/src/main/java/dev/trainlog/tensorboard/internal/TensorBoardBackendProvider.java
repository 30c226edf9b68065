package dev.trainlog.tensorboard.internal;

import com.google.auto.service.AutoService;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;

/** Provides {@code type: tensorboard}: event files TensorBoard reads, written without TensorFlow. */
@AutoService(BackendProvider.class)
public final class TensorBoardBackendProvider implements BackendProvider {

  /** The name users write as {@code type:}: {@value}. */
  public static final String TYPE = "tensorboard";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public LogBackend create(BackendContext context) {
    TensorBoardConfig config = TensorBoardConfig.read(context.settings());
    return new TensorBoardBackend(context.run(), config, context.clock(), EventFile.CREATE_NEW);
  }
}
