package dev.trainlog.spi;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A backend's own YAML settings as a typed view. Each read returns the value, or the given default when the
 * key is absent; a value of the wrong form is recorded as a problem (full dotted key, file and line) and reads
 * as the default, so a provider reads on and the user sees every problem at once. Keys the provider never
 * reads are reported as unknown, with a "did you mean" hint. The core throws one {@link ConfigException} with
 * the problems of every backend after {@link BackendProvider#create} returns; a provider does not throw for
 * bad settings itself.
 */
public interface BackendSettings {

  /** The dotted key of this mapping, e.g. {@code backends.mongo} or {@code backends.mongo.write-concern}. */
  String key();

  /** Whether {@code key} is set to a value (a key written with nothing after it is not set). */
  boolean has(String key);

  /** Text (a number or boolean is read as its text). */
  String text(String key, String defaultValue);

  /** Text that must be set and not blank; {@code null} (with a problem) when it is not. */
  String requiredText(String key);

  /** An integer of at least 1. */
  int positiveInt(String key, int defaultValue);

  /** An integer of at least 0. */
  int nonNegativeInt(String key, int defaultValue);

  /** A positive duration: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}, ISO {@code PT2S}, or milliseconds. */
  Duration duration(String key, Duration defaultValue);

  /** A positive size in bytes: {@code 512KB}, {@code 64MiB}, {@code 2GiB}, {@code 1.5GB}, or a number of bytes. */
  long size(String key, long defaultBytes);

  /**
   * An absolute URI whose scheme is one of {@code schemes} (any scheme when none are given). A trailing
   * {@code /} is kept; a password in it is redacted in messages.
   */
  URI uri(String key, URI defaultValue, String... schemes);

  /**
   * A credential: the YAML value, else the environment variable {@code envName} (see {@link
   * BackendContext#env}; {@code null} for none), else {@code null}.
   */
  Secret secret(String key, String envName);

  /** One of {@code allowed}, matched ignoring case (a number as its text); the message lists them. */
  String oneOf(String key, String defaultValue, String... allowed);

  /**
   * A constant of {@code defaultValue}'s enum, written in YAML in lower case with {@code -} for {@code _}
   * ({@code TAG_AT_END} is {@code tag-at-end}).
   */
  <E extends Enum<E>> E oneOf(String key, E defaultValue);

  /** {@code true} or {@code false}. */
  boolean bool(String key, boolean defaultValue);

  /** A list of texts; a single text counts as a list of one. */
  List<String> textList(String key, List<String> defaultValue);

  /** A mapping whose values are texts (numbers and booleans as their text), in the order written. */
  Map<String, String> textMap(String key);

  /** A nested mapping, read the same way; an absent key reads as an empty mapping. */
  BackendSettings section(String key);

  /** A list of mappings, e.g. {@code indexes: [{keys: ...}, ...]}; each item's key is {@code key[i]}. */
  List<BackendSettings> sections(String key);

  /**
   * Records that {@code key} holds {@code value} but must be {@code requirement}, for checks of your own:
   * {@code `backends.mongo.runs-collection` was 'experiments' but it must be different from `collection`}.
   */
  void invalid(String key, Object value, String requirement);

  /** Records a problem with {@code key} in words of your own, e.g. {@code is missing: set it or MLFLOW_TRACKING_URI}. */
  void problem(String key, String description);

  /**
   * Accepts {@code key}, a setting this provider no longer uses: when it is set, the core warns once, naming
   * it and what to do {@code instead}; its value is neither checked nor used, and it is not reported as
   * unknown. Call it once per retired key, where the other keys are read.
   */
  default void deprecated(String key, String instead) {
    has(key);
  }

  /** Whether any problem has been found in these settings so far (so a provider may skip building its backend). */
  boolean hasProblems();
}
