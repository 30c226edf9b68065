package dev.trainlog.mongodb.internal;

import com.google.auto.service.AutoService;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;

/** {@code type: mongodb}: one document per kept record in a MongoDB collection. */
@AutoService(BackendProvider.class)
public final class MongoBackendProvider implements BackendProvider {

  /** The YAML {@code type}: {@value}. */
  public static final String TYPE = "mongodb";

  /**
   * The variable {@code trainlog resend} sets for the backend it opens: {@value}. The backend then writes
   * every record under its own run, updates that run's entry and leaves its status alone, and creates or
   * ends no run of its own.
   */
  public static final String RESEND_VAR = "TRAINLOG_RESEND";

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
    MongoBackendConfig config = MongoSettingsReader.read(context.settings());
    if (config.uri().startsWith(EmbeddedStores.SCHEME) && !EmbeddedStores.available()) {
      throw EmbeddedStores.missingClasses(config.uri());
    }
    MongoBackend backend = new MongoBackend(context.name(), context.run(), config, context.clock(), context::env);
    backend.recordSampling(context::sampling);
    return backend;
  }
}
