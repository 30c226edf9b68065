package dev.trainlog.mongodb.internal;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Builds the driver settings: the connection string (which also carries TLS options such as {@code
 * tls=true}), the timeouts, the write concern, and credentials from the config or the
 * {@value #USERNAME_ENV} / {@value #PASSWORD_ENV} environment variables when the URI has none.
 */
final class MongoConnector {

  /** The environment variable read for the user name when neither the URI nor the config has one. */
  static final String USERNAME_ENV = "MONGO_USERNAME";

  /** The environment variable read for the password; its value is never logged. */
  static final String PASSWORD_ENV = "MONGO_PASSWORD";

  private MongoConnector() {}

  /** Settings for {@code uri} (the real {@code mongodb://} URI, after resolving {@code embedded:}). */
  static MongoClientSettings settings(MongoBackendConfig config, String uri, boolean embedded, UnaryOperator<String> env) {
    ConnectionString cs = new ConnectionString(uri);
    MongoClientSettings.Builder b = MongoClientSettings.builder()
        .applyConnectionString(cs)
        .applicationName("trainlog")
        .writeConcern(WriteConcerns.from(config.writeConcern()))
        .applyToClusterSettings(c -> c.serverSelectionTimeout(
            config.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS));
    if (cs.getCredential() == null && !embedded) {
      String user = config.username() != null ? config.username() : env.apply(USERNAME_ENV);
      String password = config.password() != null ? config.password() : env.apply(PASSWORD_ENV);
      if (user != null && !user.isEmpty() && password != null) {
        String source = config.authSource() != null ? config.authSource()
            : cs.getDatabase() != null ? cs.getDatabase() : MongoBackendConfig.DEFAULT_AUTH_SOURCE;
        b.credential(MongoCredential.createCredential(user, source, password.toCharArray()));
      }
    }
    return b.build();
  }
}
