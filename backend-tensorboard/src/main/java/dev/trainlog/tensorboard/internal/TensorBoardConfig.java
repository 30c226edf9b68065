package dev.trainlog.tensorboard.internal;

import dev.trainlog.spi.BackendSettings;

/**
 * The settings of a {@code type: tensorboard} backend, read by {@link #read}. Omitted keys take the defaults
 * below; the worker settings (sampling, flush interval, batch size) are the core's and never reach this class.
 *
 * @param logDir root folder of the event files, {@code log-dir}
 * @param rankSubdirs whether ranks above 0 write to {@code <run>/rank-<n>}, {@code rank-subdirs}
 * @param vectorElementsAsScalars whether a vector is also written as one scalar per element
 * @param hparams whether the run's config is written as an HParams session
 * @param configText whether the run's config is written as a markdown table text summary
 */
public record TensorBoardConfig(
    String logDir, Boolean rankSubdirs, Boolean vectorElementsAsScalars, Boolean hparams, Boolean configText) {

  /** Where event files go when {@code log-dir} is omitted: {@value}. */
  public static final String DEFAULT_LOG_DIR = "runs";
  /** Ranks above 0 get a folder of their own by default, because TensorBoard follows one file per run. */
  public static final boolean DEFAULT_RANK_SUBDIRS = true;
  /** Vectors become histograms only, by default. */
  public static final boolean DEFAULT_VECTOR_ELEMENTS_AS_SCALARS = false;
  /** The HParams tab gets every run by default. */
  public static final boolean DEFAULT_HPARAMS = true;
  /** The config is also written as a text table by default. */
  public static final boolean DEFAULT_CONFIG_TEXT = true;

  public TensorBoardConfig {
    logDir = logDir == null ? DEFAULT_LOG_DIR : logDir;
    rankSubdirs = rankSubdirs == null ? DEFAULT_RANK_SUBDIRS : rankSubdirs;
    vectorElementsAsScalars =
        vectorElementsAsScalars == null ? DEFAULT_VECTOR_ELEMENTS_AS_SCALARS : vectorElementsAsScalars;
    hparams = hparams == null ? DEFAULT_HPARAMS : hparams;
    configText = configText == null ? DEFAULT_CONFIG_TEXT : configText;
  }

  /** Every default. */
  public static TensorBoardConfig defaults() {
    return new TensorBoardConfig(null, null, null, null, null);
  }

  /** The same settings writing under {@code dir}. */
  public TensorBoardConfig withLogDir(String dir) {
    return new TensorBoardConfig(dir, rankSubdirs, vectorElementsAsScalars, hparams, configText);
  }

  /** The settings as read from YAML; a bad value is recorded in {@code settings} and reads as its default. */
  static TensorBoardConfig read(BackendSettings settings) {
    String logDir = settings.text("log-dir", DEFAULT_LOG_DIR);
    if (logDir.isBlank()) {
      settings.invalid("log-dir", logDir, "a non-blank path");
      logDir = DEFAULT_LOG_DIR;
    } else if (logDir.indexOf('\0') >= 0) {
      settings.invalid("log-dir", logDir.replace('\0', '?'), "a path without NUL characters");
      logDir = DEFAULT_LOG_DIR;
    }
    return new TensorBoardConfig(logDir,
        settings.bool("rank-subdirs", DEFAULT_RANK_SUBDIRS),
        settings.bool("vector-elements-as-scalars", DEFAULT_VECTOR_ELEMENTS_AS_SCALARS),
        settings.bool("hparams", DEFAULT_HPARAMS),
        settings.bool("config-text", DEFAULT_CONFIG_TEXT));
  }
}
