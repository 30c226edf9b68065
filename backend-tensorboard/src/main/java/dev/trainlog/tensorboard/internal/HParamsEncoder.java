package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.RunStatus;
import java.util.Map;

/**
 * Writes the HParams plugin's session summaries: a session start with the run's flattened config as
 * hyperparameters, and a session end with the run's status. TensorBoard's HParams tab builds its
 * table from these and from the scalar tags, so no experiment summary is needed.
 */
final class HParamsEncoder {

  static final String PLUGIN_NAME = "hparams";
  static final String SESSION_START_TAG = "_hparams_/session_start_info";
  static final String SESSION_END_TAG = "_hparams_/session_end_info";

  // HParamsPluginData (version 0 is the default and therefore not written)
  static final int PLUGIN_DATA_SESSION_START = 3;
  static final int PLUGIN_DATA_SESSION_END = 4;
  // SessionStartInfo / SessionEndInfo
  static final int START_HPARAMS = 1;
  static final int START_GROUP_NAME = 4;
  static final int START_TIME_SECS = 5;
  static final int END_STATUS = 1;
  static final int END_TIME_SECS = 2;
  // map entry and google.protobuf.Value
  static final int ENTRY_KEY = 1;
  static final int ENTRY_VALUE = 2;
  static final int VALUE_NUMBER = 2;
  static final int VALUE_STRING = 3;
  static final int VALUE_BOOL = 4;
  // tensorboard.hparams.Status
  static final int STATUS_SUCCESS = 1;
  static final int STATUS_FAILURE = 2;

  private final ProtoBuffer content = new ProtoBuffer();

  /**
   * A summary value announcing the session with its hyperparameters (flattened config). The HParams
   * tab names a row by {@code groupName} (by the run's name when it is empty) and groups the sessions
   * that share one.
   */
  void sessionStartValue(ProtoBuffer out, Map<String, Object> flatConfig, String groupName, double startTimeSecs) {
    content.reset();
    int start = content.beginMessage(PLUGIN_DATA_SESSION_START);
    flatConfig.forEach((key, value) -> hparam(key, value));
    content.stringField(START_GROUP_NAME, groupName);
    content.doubleField(START_TIME_SECS, startTimeSecs);
    content.endMessage(start);
    value(out, SESSION_START_TAG);
  }

  /** A summary value closing the session with the status TensorBoard shows for {@code status}. */
  void sessionEndValue(ProtoBuffer out, RunStatus status, double endTimeSecs) {
    content.reset();
    int end = content.beginMessage(PLUGIN_DATA_SESSION_END);
    content.varintField(END_STATUS, statusOf(status));
    content.doubleField(END_TIME_SECS, endTimeSecs);
    content.endMessage(end);
    value(out, SESSION_END_TAG);
  }

  /** The plugin has no "aborted" status (only unknown, success, failure, running): a killed run failed. */
  static int statusOf(RunStatus status) {
    return status == RunStatus.FINISHED ? STATUS_SUCCESS : STATUS_FAILURE;
  }

  private void hparam(String key, Object value) {
    if (value == null) {
      return;
    }
    int entry = content.beginMessage(START_HPARAMS);
    content.stringField(ENTRY_KEY, key);
    int v = content.beginMessage(ENTRY_VALUE);
    if (value instanceof Number) {
      content.doubleField(VALUE_NUMBER, ((Number) value).doubleValue());
    } else if (value instanceof Boolean) {
      content.varintField(VALUE_BOOL, ((Boolean) value) ? 1 : 0);
    } else {
      content.stringField(VALUE_STRING, String.valueOf(value));
    }
    content.endMessage(v);
    content.endMessage(entry);
  }

  /** Like the plugin's own writer, the value carries an empty float tensor so readers keep it. */
  private void value(ProtoBuffer out, String tag) {
    int v = out.beginMessage(EventEncoder.SUMMARY_VALUE);
    out.stringField(EventEncoder.VALUE_TAG, tag);
    EventEncoder.pluginMetadata(out, PLUGIN_NAME, content);
    int tensor = out.beginMessage(EventEncoder.VALUE_TENSOR);
    out.varintField(EventEncoder.TENSOR_DTYPE, EventEncoder.DT_FLOAT);
    int shape = out.beginMessage(EventEncoder.TENSOR_SHAPE);
    int dim = out.beginMessage(EventEncoder.SHAPE_DIM);
    out.varintField(EventEncoder.DIM_SIZE, 0);
    out.endMessage(dim);
    out.endMessage(shape);
    out.endMessage(tensor);
    out.endMessage(v);
  }
}
