package dev.trainlog.tensorboard.internal;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Encodes TensorBoard {@code Event} messages and their summary values into a {@link ProtoBuffer}.
 * Methods append to the buffer. Per record the backend calls {@link #beginSummaryEvent}, one value
 * method per metric and {@link #endSummaryEvent}, straight into its event file's buffer, which then
 * frames the record in place ({@link RecordFramer#frameInPlace}).
 */
final class EventEncoder {

  /** The version string TensorBoard expects in the first event of every file. */
  static final String FILE_VERSION = "brain.Event:2";

  // Event
  static final int EVENT_WALL_TIME = 1;
  static final int EVENT_STEP = 2;
  static final int EVENT_FILE_VERSION = 3;
  static final int EVENT_SUMMARY = 5;
  static final int EVENT_SESSION_LOG = 7;
  // SessionLog
  static final int SESSION_LOG_STATUS = 1;
  static final int SESSION_LOG_START = 1;
  // Summary and Summary.Value
  static final int SUMMARY_VALUE = 1;
  static final int VALUE_TAG = 1;
  static final int VALUE_SIMPLE_VALUE = 2;
  static final int VALUE_IMAGE = 4;
  static final int VALUE_HISTO = 5;
  static final int IMAGE_HEIGHT = 1;
  static final int IMAGE_WIDTH = 2;
  static final int IMAGE_COLORSPACE = 3;
  static final int IMAGE_ENCODED = 4;
  static final int VALUE_TENSOR = 8;
  static final int VALUE_METADATA = 9;
  // SummaryMetadata and its PluginData
  static final int METADATA_PLUGIN_DATA = 1;
  static final int PLUGIN_DATA_NAME = 1;
  static final int PLUGIN_DATA_CONTENT = 2;
  // TensorProto, TensorShapeProto and DataType
  static final int TENSOR_DTYPE = 1;
  static final int TENSOR_SHAPE = 2;
  static final int TENSOR_STRING_VAL = 8;
  static final int SHAPE_DIM = 2;
  static final int DIM_SIZE = 1;
  static final int DT_FLOAT = 1;
  static final int DT_STRING = 7;
  // field keys (number << 3 | wire type) written by the per-record fast paths
  private static final byte KEY_WALL_TIME = EVENT_WALL_TIME << 3 | 1;
  private static final byte KEY_STEP = EVENT_STEP << 3;
  private static final byte KEY_SUMMARY = EVENT_SUMMARY << 3 | 2;

  /** Tags kept encoded before the map is cleared: {@value}. Keys repeat every step. */
  static final int MAX_CACHED_TAGS = 4096;

  private final HistogramEncoder histograms = new HistogramEncoder();
  /** Scalar prefixes by tag, encoded on first use: keys repeat every step. */
  private final HashMap<String, ScalarPrefix> scalarPrefixes = new HashMap<>();
  private final ProtoBuffer scratch = new ProtoBuffer(64);

  /** The first event of every file: its wall time and {@value #FILE_VERSION}. */
  void fileVersionEvent(ProtoBuffer out, double wallTimeSecs) {
    out.doubleField(EVENT_WALL_TIME, wallTimeSecs);
    out.stringField(EVENT_FILE_VERSION, FILE_VERSION);
  }

  /** A SessionLog START at {@code step}: TensorBoard drops every earlier-read point at or after it. */
  void sessionStartEvent(ProtoBuffer out, double wallTimeSecs, long step) {
    out.doubleField(EVENT_WALL_TIME, wallTimeSecs);
    out.varintField(EVENT_STEP, step);
    int log = out.beginMessage(EVENT_SESSION_LOG);
    out.varintField(SESSION_LOG_STATUS, SESSION_LOG_START);
    out.endMessage(log);
  }

  /** One event holding one scalar, as {@code simple_value} (float32). */
  void scalarEvent(ProtoBuffer out, double wallTimeSecs, long step, String tag, double value) {
    int summary = beginSummaryEvent(out, wallTimeSecs, step);
    scalarValue(out, tag, value);
    endSummaryEvent(out, summary);
  }

  /** Starts an event with a summary; add values, then call {@link #endSummaryEvent}. */
  int beginSummaryEvent(ProtoBuffer out, double wallTimeSecs, long step) {
    // what doubleField, varintField and beginMessage write, with one capacity check: this runs per record
    int stepBytes = ProtoBuffer.varintSize(step);
    int p = out.reserve(12 + stepBytes);
    byte[] b = out.array();
    b[p] = KEY_WALL_TIME;
    out.putLongAt(p + 1, Double.doubleToRawLongBits(wallTimeSecs));
    b[p + 9] = KEY_STEP;
    ProtoBuffer.putVarint(b, p + 10, step);
    b[p + 10 + stepBytes] = KEY_SUMMARY;
    // the byte after the key holds the summary's length, filled in by endSummaryEvent
    return p + 12 + stepBytes;
  }

  void endSummaryEvent(ProtoBuffer out, int summaryStart) {
    out.endMessage(summaryStart);
  }

  /**
   * A scalar value; NaN and infinities are kept as such. Runs once per scalar, so it only writes the
   * value's cached first bytes and appends the float.
   */
  void scalarValue(ProtoBuffer out, String tag, double value) {
    ScalarPrefix prefix = scalarPrefixes.get(tag);
    if (prefix == null) {
      prefix = scalarPrefix(tag);
    }
    prefix.write(out, Float.floatToRawIntBits((float) value));
  }

  /** The prefix of {@code tag}'s scalar values, encoded and kept. */
  private ScalarPrefix scalarPrefix(String tag) {
    if (scalarPrefixes.size() >= MAX_CACHED_TAGS) {
      scalarPrefixes.clear();
    }
    scratch.reset();
    int v = scratch.beginMessage(SUMMARY_VALUE);
    scratch.stringField(VALUE_TAG, tag);
    scratch.floatField(VALUE_SIMPLE_VALUE, 0f);
    scratch.endMessage(v);
    ScalarPrefix prefix = new ScalarPrefix(Arrays.copyOf(scratch.array(), scratch.size() - 4));
    scalarPrefixes.put(tag, prefix);
    return prefix;
  }

  /** A histogram of the finite elements of {@code values}, see {@link HistogramEncoder}. */
  void histogramValue(ProtoBuffer out, String tag, double[] values) {
    int v = out.beginMessage(SUMMARY_VALUE);
    out.stringField(VALUE_TAG, tag);
    int histo = out.beginMessage(VALUE_HISTO);
    histograms.encode(out, values);
    out.endMessage(histo);
    out.endMessage(v);
  }

  /** A text value: a rank-0 string tensor marked for the text plugin. */
  void textValue(ProtoBuffer out, String tag, String text) {
    int v = out.beginMessage(SUMMARY_VALUE);
    out.stringField(VALUE_TAG, tag);
    pluginMetadata(out, "text", null);
    int tensor = out.beginMessage(VALUE_TENSOR);
    out.varintField(TENSOR_DTYPE, DT_STRING);
    out.endMessage(out.beginMessage(TENSOR_SHAPE));
    out.stringField(TENSOR_STRING_VAL, text);
    out.endMessage(tensor);
    out.endMessage(v);
  }

  /**
   * A {@code Summary.Image}: the encoded PNG or JPEG bytes as they are, with width, height and colourspace
   * (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA), which TensorBoard's Images tab shows by step.
   */
  void imageValue(ProtoBuffer out, String tag, int width, int height, int colorspace, byte[] encoded) {
    int v = out.beginMessage(SUMMARY_VALUE);
    out.stringField(VALUE_TAG, tag);
    int image = out.beginMessage(VALUE_IMAGE);
    out.varintField(IMAGE_HEIGHT, height);
    out.varintField(IMAGE_WIDTH, width);
    out.varintField(IMAGE_COLORSPACE, colorspace);
    out.bytesField(IMAGE_ENCODED, encoded);
    out.endMessage(image);
    out.endMessage(v);
  }

  /** Summary metadata naming {@code plugin}, with optional serialized plugin content. */
  static void pluginMetadata(ProtoBuffer out, String plugin, ProtoBuffer content) {
    int metadata = out.beginMessage(VALUE_METADATA);
    int pluginData = out.beginMessage(METADATA_PLUGIN_DATA);
    out.stringField(PLUGIN_DATA_NAME, plugin);
    if (content != null && content.size() > 0) {
      out.bytesField(PLUGIN_DATA_CONTENT, content.toByteArray());
    }
    out.endMessage(pluginData);
    out.endMessage(metadata);
  }

  /**
   * Everything a scalar value with one tag holds before its float: the value's key and length, the
   * tag field, the {@code simple_value} key. A prefix of up to {@value #WORD_BYTES} bytes (tags up to
   * 19 ASCII characters) is kept as three little-endian words and written with three stores, which
   * for such short runs is cheaper than an array copy.
   */
  static final class ScalarPrefix {

    static final int WORD_BYTES = 24;

    private final byte[] bytes;
    private final int length;
    private final long word0;
    private final long word1;
    private final long word2;

    ScalarPrefix(byte[] bytes) {
      this.bytes = bytes;
      this.length = bytes.length;
      byte[] padded = Arrays.copyOf(bytes, Math.max(WORD_BYTES, bytes.length));
      this.word0 = ProtoBuffer.getLong(padded, 0);
      this.word1 = ProtoBuffer.getLong(padded, 8);
      this.word2 = ProtoBuffer.getLong(padded, 16);
    }

    /** Appends the prefix and the float {@code floatBits}. */
    void write(ProtoBuffer out, int floatBits) {
      if (length <= WORD_BYTES) {
        // the words may run past the prefix; the float and whatever comes next overwrite that
        int p = out.reserve(length + 4, WORD_BYTES + 4);
        out.putLongAt(p, word0);
        out.putLongAt(p + 8, word1);
        out.putLongAt(p + 16, word2);
        out.putIntAt(p + length, floatBits);
      } else {
        int p = out.reserve(length + 4);
        System.arraycopy(bytes, 0, out.array(), p, length);
        out.putIntAt(p + length, floatBits);
      }
    }
  }
}
