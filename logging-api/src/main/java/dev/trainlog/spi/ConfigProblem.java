package dev.trainlog.spi;

import dev.trainlog.api.Secrets;
import java.util.Objects;

/**
 * One thing wrong with the configuration: the dotted key it concerns, what is wrong, and (filled in
 * by the core) where in which file. Rendered as {@code `key` was '-3' but it must be a positive
 * integer (trainlog.yaml:12)}. Credentials in the description (a plugin's exception message, a
 * URI with a password) are redacted, and so is the value of a key that names a secret.
 */
public final class ConfigProblem {

  private final String key;
  private final String description;
  private final String location;

  public ConfigProblem(String key, String description) {
    this(key, description, null);
  }

  public ConfigProblem(String key, String description, String location) {
    this.key = Objects.requireNonNull(key, "key");
    this.description = Secrets.redactText(Objects.requireNonNull(description, "description"));
    this.location = location;
  }

  /** {@code `key` was 'value' but it must be <requirement>}. */
  public static ConfigProblem invalid(String key, Object value, String requirement) {
    return new ConfigProblem(key, "was '" + Secrets.redactValue(key, value) + "' but it must be " + requirement);
  }

  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** {@code file:line}, or {@code null} when unknown (a programmatic setting). */
  public String location() {
    return location;
  }

  /** The same problem under a longer key, e.g. {@code backends.mongo.} + {@code uri}. */
  public ConfigProblem prefixed(String prefix) {
    return new ConfigProblem(prefix + key, description, location);
  }

  public ConfigProblem at(String newLocation) {
    return new ConfigProblem(key, description, newLocation);
  }

  public String message() {
    return "`" + key + "` " + description + (location == null ? "" : " (" + location + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigProblem && ((ConfigProblem) o).message().equals(message());
  }

  @Override
  public int hashCode() {
    return message().hashCode();
  }

  @Override
  public String toString() {
    return message();
  }
}
