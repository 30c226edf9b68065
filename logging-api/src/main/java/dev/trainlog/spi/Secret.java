package dev.trainlog.spi;

import dev.trainlog.api.RunInfo;
import java.util.Objects;

/**
 * A credential read from the configuration or the environment. Its {@link #toString()} is {@value
 * RunInfo#REDACTED}, so it can be logged, put in a message or a config record without leaking; only {@link
 * #reveal()} gives the value, at the one place that hands it to a driver or an HTTP header.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** A secret holding {@code value}. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The credential itself; never log it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret && ((Secret) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return RunInfo.REDACTED;
  }
}
