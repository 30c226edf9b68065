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

  /** The variable {@code trainlog resend} sets to {@code true} for the backend it opens: {@value}. */
  static final String RESEND_VAR = "TRAINLOG_RESEND";

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
    // TRAINLOG_RESEND: the resending process is no run; every record goes to the folder of the run it carries
    TensorBoardBackend.Role role = "true".equals(context.env(RESEND_VAR))
        ? TensorBoardBackend.Role.RESEND : TensorBoardBackend.Role.RUN;
    return new TensorBoardBackend(context.run(), config, context.clock(), EventFile.CREATE_NEW, role);
  }
}
