package dev.trainlog.tensorboard.internal;

import java.util.Map;

/** Renders a run's flattened config as a two-column markdown table for the text plugin. */
final class ConfigTable {

  private ConfigTable() {}

  static String markdown(Map<String, Object> flatConfig) {
    StringBuilder sb = new StringBuilder("| key | value |\n|---|---|\n");
    flatConfig.forEach((key, value) ->
        sb.append("| ").append(cell(key)).append(" | ").append(cell(String.valueOf(value))).append(" |\n"));
    return sb.toString();
  }

  /** A pipe would end the cell and a newline the row, so both are escaped. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }
}
