package dev.trainlog.core;

import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.util.List;
import java.util.Map;

/**
 * A backend's settings made from a map instead of YAML: what a provider's {@code create} reads through
 * {@code ctx.settings()}, for a plugin's tests and for programs that build a backend in Java. Reads
 * through it check values as YAML would; {@link #throwIfAny} then reports every problem at once, as
 * the dispatcher does after {@code create}.
 */
public final class Settings {

  private Settings() {}

  /** The settings {@code values} (maps, lists and scalars as YAML gives them) at the dotted key {@code key}. */
  public static BackendSettings of(String key, Map<String, ?> values) {
    return SettingsView.of(key, values);
  }

  /** As {@link #of(String, Map)}; a {@code secret} with no value falls back to {@code vars}, never to the environment. */
  public static BackendSettings of(String key, Map<String, ?> values, Map<String, String> vars) {
    return SettingsView.of(key, values, vars);
  }

  /** Every problem the reads so far found in {@code settings} (made by {@link #of}), unknown keys included. */
  public static List<ConfigProblem> problems(BackendSettings settings) {
    return view(settings).problems();
  }

  /** Throws one {@link ConfigException} listing every problem found in {@code settings}, if there is any. */
  public static void throwIfAny(BackendSettings settings) {
    view(settings).throwIfAny();
  }

  private static SettingsView view(BackendSettings settings) {
    if (settings instanceof SettingsView) {
      return (SettingsView) settings;
    }
    throw new IllegalArgumentException("not settings made by Settings.of: " + settings.getClass().getName());
  }
}
