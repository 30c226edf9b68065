package dev.trainlog.mlflow.internal;

import com.google.auto.service.AutoService;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;

/** Provides {@code type: mlflow}: a backend writing to an MLflow tracking server over REST. */
@AutoService(BackendProvider.class)
public final class MlflowBackendProvider implements BackendProvider {

  /** The YAML type name: {@value}. */
  public static final String TYPE = "mlflow";

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
    // MLFLOW_* fallbacks, credentials included, come through the context so that the dispatcher's vars win
    MlflowSettings settings = MlflowSettings.read(context.settings(), context::env, context.run());
    // TRAINLOG_RESEND: the resending process is no run; every record goes to the run it carries
    return new MlflowBackend(settings, context.run(), context.clock(), "true".equals(context.env(RESEND_VAR)));
  }
}
