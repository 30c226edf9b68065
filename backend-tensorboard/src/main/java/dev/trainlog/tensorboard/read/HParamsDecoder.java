package dev.trainlog.tensorboard.read;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the HParams plugin's content ({@code HParamsPluginData}): a session start with its
 * hyperparameters, a session end with its status, or an experiment (which declares the
 * hyperparameters' domains for the HParams tab and which this package does not read).
 */
final class HParamsDecoder {

  static final String SESSION_START_TAG = "_hparams_/session_start_info";
  static final String SESSION_END_TAG = "_hparams_/session_end_info";

  // HParamsPluginData
  private static final int EXPERIMENT = 2;
  private static final int SESSION_START = 3;
  private static final int SESSION_END = 4;
  // SessionStartInfo and SessionEndInfo
  private static final int START_HPARAMS = 1;
  private static final int START_GROUP_NAME = 4;
  private static final int START_TIME_SECS = 5;
  private static final int END_STATUS = 1;
  // map entry and google.protobuf.Value
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  private static final int VALUE_NUMBER = 2;
  private static final int VALUE_STRING = 3;
  private static final int VALUE_BOOL = 4;

  /** What the plugin data held; at most one of the three is set. */
  record Content(TbSessionStart sessionStart, String sessionEndStatus, boolean experiment) {}

  private HParamsDecoder() {}

  static Content decode(byte[] pluginContent) {
    WireReader in = new WireReader(pluginContent, 0, pluginContent.length);
    TbSessionStart start = null;
    String end = null;
    boolean experiment = false;
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case SESSION_START -> start = sessionStart(in.readMessage());
        case SESSION_END -> end = sessionEnd(in.readMessage());
        case EXPERIMENT -> {
          in.skip();
          experiment = true;
        }
        default -> in.skip();
      }
    }
    return new Content(start, end, experiment);
  }

  /** The names of {@code tensorboard.hparams.Status} without their prefix. */
  static String statusName(long status) {
    return switch ((int) status) {
      case 0 -> "UNKNOWN";
      case 1 -> "SUCCESS";
      case 2 -> "FAILURE";
      case 3 -> "RUNNING";
      default -> "STATUS_" + status;
    };
  }

  private static TbSessionStart sessionStart(WireReader in) {
    Map<String, Object> hparams = new LinkedHashMap<>();
    String group = "";
    double startTime = Double.NaN;
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case START_HPARAMS -> entry(in.readMessage(), hparams);
        case START_GROUP_NAME -> group = in.readString();
        case START_TIME_SECS -> startTime = in.readDouble();
        default -> in.skip();
      }
    }
    return new TbSessionStart(hparams, group, startTime);
  }

  private static String sessionEnd(WireReader in) {
    long status = 0;
    for (int f; (f = in.nextField()) != -1; ) {
      if (f == END_STATUS) {
        status = in.readVarint();
      } else {
        in.skip();
      }
    }
    return statusName(status);
  }

  /** One hyperparameter; a null, list or struct value is left out, as the HParams tab shows none. */
  private static void entry(WireReader in, Map<String, Object> out) {
    String key = "";
    Object value = null;
    for (int f; (f = in.nextField()) != -1; ) {
      if (f == ENTRY_KEY) {
        key = in.readString();
      } else if (f == ENTRY_VALUE) {
        value = value(in.readMessage());
      } else {
        in.skip();
      }
    }
    if (value != null) {
      out.put(key, value);
    }
  }

  private static Object value(WireReader in) {
    Object value = null;
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case VALUE_NUMBER -> value = in.readDouble();
        case VALUE_STRING -> value = in.readString();
        case VALUE_BOOL -> value = in.readVarint() != 0;
        default -> in.skip();
      }
    }
    return value;
  }
}
