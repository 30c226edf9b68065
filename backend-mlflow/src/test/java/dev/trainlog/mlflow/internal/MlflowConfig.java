package dev.trainlog.mlflow.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code type: mlflow} YAML keys as fields, so a test sets the few it cares about; {@link #yaml()} gives the
 * mapping a YAML file with those keys would give the provider. Unset fields are left out.
 */
final class MlflowConfig {

  String trackingUri;
  String experiment;
  String runId;
  String runName;
  String ranks;
  String vectors;
  String text;
  String token;
  String username;
  String password;
  String trustStore;
  String trustStorePassword;
  Duration requestTimeout;
  Duration connectTimeout;
  String user;

  /** The settings as YAML would give them: kebab-case keys, durations written as milliseconds. */
  Map<String, Object> yaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "tracking-uri", trackingUri);
    put(m, "experiment", experiment);
    put(m, "run-id", runId);
    put(m, "run-name", runName);
    put(m, "ranks", ranks);
    put(m, "vectors", vectors);
    put(m, "text", text);
    put(m, "token", token);
    put(m, "username", username);
    put(m, "password", password);
    put(m, "trust-store", trustStore);
    put(m, "trust-store-password", trustStorePassword);
    put(m, "request-timeout", requestTimeout == null ? null : requestTimeout.toMillis());
    put(m, "connect-timeout", connectTimeout == null ? null : connectTimeout.toMillis());
    put(m, "user", user);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
