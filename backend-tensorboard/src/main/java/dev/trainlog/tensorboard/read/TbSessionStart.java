package dev.trainlog.tensorboard.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HParams plugin's session start: the run's hyperparameters (values are {@code String}, {@code
 * Double} or {@code Boolean}, in the order written), its group name ({@code ""} if none) and start
 * time in seconds (NaN if none).
 */
public record TbSessionStart(Map<String, Object> hparams, String groupName, double startTimeSecs) {

  /** Copies the hyperparameters, keeping their order. */
  public TbSessionStart {
    hparams = Collections.unmodifiableMap(new LinkedHashMap<>(hparams));
  }
}
