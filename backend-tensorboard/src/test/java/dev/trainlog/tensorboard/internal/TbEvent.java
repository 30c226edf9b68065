package dev.trainlog.tensorboard.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code Event} decoded by protobuf-java's generic wire parser with the tests' own schema (field
 * numbers from TensorBoard's event.proto, summary.proto, tensor.proto, histogram.proto and the
 * hparams plugin_data.proto). Every field seen must be one the schema knows, so a stray field fails.
 */
record TbEvent(double wallTime, long step, String fileVersion, List<Value> values, Integer sessionLogStatus) {

  record Value(String tag, Float simpleValue, Histo histo, Tensor tensor, String pluginName, ByteString pluginContent,
      Image image) {}

  /** {@code Summary.Image}: height 1, width 2, colorspace 3, encoded_image_string 4. */
  record Image(int height, int width, int colorspace, byte[] encoded) {}

  record Histo(double min, double max, double num, double sum, double sumSquares, List<Double> bucketLimit, List<Double> bucket) {}

  record Tensor(int dtype, List<Long> dims, List<String> stringVal) {}

  record SessionStart(Map<String, Object> hparams, String groupName, double startTimeSecs) {}

  record SessionEnd(int status, double endTimeSecs) {}

  static TbEvent parse(byte[] data) throws IOException {
    UnknownFieldSet f = strict(UnknownFieldSet.parseFrom(data), 1, 2, 3, 5, 7);
    double wallTime = Double.longBitsToDouble(only(f.getField(1).getFixed64List(), 0L));
    long step = only(f.getField(2).getVarintList(), 0L);
    String fileVersion = f.hasField(3) ? f.getField(3).getLengthDelimitedList().get(0).toStringUtf8() : null;
    List<Value> values = new ArrayList<>();
    if (f.hasField(5)) {
      UnknownFieldSet summary = strict(UnknownFieldSet.parseFrom(f.getField(5).getLengthDelimitedList().get(0)), 1);
      for (ByteString v : summary.getField(1).getLengthDelimitedList()) {
        values.add(value(v));
      }
    }
    Integer status = null;
    if (f.hasField(7)) {
      UnknownFieldSet log = strict(UnknownFieldSet.parseFrom(f.getField(7).getLengthDelimitedList().get(0)), 1);
      status = only(log.getField(1).getVarintList(), 0L).intValue();
    }
    return new TbEvent(wallTime, step, fileVersion, values, status);
  }

  /** Whether this event carries a summary with at least one scalar: one logged record. */
  boolean isScalarRecord() {
    return values.stream().anyMatch(v -> v.simpleValue() != null);
  }

  Value value(String tag) {
    return values.stream().filter(v -> v.tag().equals(tag)).findFirst().orElse(null);
  }

  private static Value value(ByteString bytes) throws IOException {
    UnknownFieldSet v = strict(UnknownFieldSet.parseFrom(bytes), 1, 2, 4, 5, 8, 9);
    String tag = v.getField(1).getLengthDelimitedList().get(0).toStringUtf8();
    Float simple = v.hasField(2) ? Float.intBitsToFloat(v.getField(2).getFixed32List().get(0)) : null;
    Histo histo = v.hasField(5) ? histo(v.getField(5).getLengthDelimitedList().get(0)) : null;
    Tensor tensor = v.hasField(8) ? tensor(v.getField(8).getLengthDelimitedList().get(0)) : null;
    String pluginName = null;
    ByteString content = null;
    if (v.hasField(9)) {
      UnknownFieldSet metadata = strict(UnknownFieldSet.parseFrom(v.getField(9).getLengthDelimitedList().get(0)), 1);
      UnknownFieldSet pluginData = strict(UnknownFieldSet.parseFrom(metadata.getField(1).getLengthDelimitedList().get(0)), 1, 2);
      pluginName = pluginData.getField(1).getLengthDelimitedList().get(0).toStringUtf8();
      content = pluginData.hasField(2) ? pluginData.getField(2).getLengthDelimitedList().get(0) : ByteString.EMPTY;
    }
    Image image = null;
    if (v.hasField(4)) {
      UnknownFieldSet i = strict(UnknownFieldSet.parseFrom(v.getField(4).getLengthDelimitedList().get(0)), 1, 2, 3, 4);
      image = new Image(only(i.getField(1).getVarintList(), 0L).intValue(), only(i.getField(2).getVarintList(), 0L)
          .intValue(), only(i.getField(3).getVarintList(), 0L).intValue(),
          i.getField(4).getLengthDelimitedList().get(0).toByteArray());
    }
    return new Value(tag, simple, histo, tensor, pluginName, content, image);
  }

  private static Histo histo(ByteString bytes) throws IOException {
    UnknownFieldSet h = strict(UnknownFieldSet.parseFrom(bytes), 1, 2, 3, 4, 5, 6, 7);
    return new Histo(dbl(h, 1), dbl(h, 2), dbl(h, 3), dbl(h, 4), dbl(h, 5), packed(h, 6), packed(h, 7));
  }

  private static Tensor tensor(ByteString bytes) throws IOException {
    UnknownFieldSet t = strict(UnknownFieldSet.parseFrom(bytes), 1, 2, 8);
    int dtype = only(t.getField(1).getVarintList(), 0L).intValue();
    List<Long> dims = new ArrayList<>();
    if (t.hasField(2)) {
      UnknownFieldSet shape = strict(UnknownFieldSet.parseFrom(t.getField(2).getLengthDelimitedList().get(0)), 2);
      for (ByteString dim : shape.getField(2).getLengthDelimitedList()) {
        dims.add(only(strict(UnknownFieldSet.parseFrom(dim), 1).getField(1).getVarintList(), 0L));
      }
    }
    List<String> strings = new ArrayList<>();
    for (ByteString s : t.getField(8).getLengthDelimitedList()) {
      strings.add(s.toStringUtf8());
    }
    return new Tensor(dtype, dims, strings);
  }

  static SessionStart sessionStart(ByteString pluginContent) throws IOException {
    UnknownFieldSet data = strict(UnknownFieldSet.parseFrom(pluginContent), 1, 3);
    if (data.hasField(1)) {
      throw new IllegalStateException("hparams plugin data version must be 0 (omitted)");
    }
    UnknownFieldSet start = strict(UnknownFieldSet.parseFrom(data.getField(3).getLengthDelimitedList().get(0)), 1, 4, 5);
    Map<String, Object> hparams = new LinkedHashMap<>();
    for (ByteString entryBytes : start.getField(1).getLengthDelimitedList()) {
      UnknownFieldSet entry = strict(UnknownFieldSet.parseFrom(entryBytes), 1, 2);
      String key = entry.getField(1).getLengthDelimitedList().get(0).toStringUtf8();
      UnknownFieldSet value = strict(UnknownFieldSet.parseFrom(entry.getField(2).getLengthDelimitedList().get(0)), 2, 3, 4);
      Object v;
      if (value.hasField(2)) {
        v = Double.longBitsToDouble(value.getField(2).getFixed64List().get(0));
      } else if (value.hasField(3)) {
        v = value.getField(3).getLengthDelimitedList().get(0).toStringUtf8();
      } else {
        v = value.getField(4).getVarintList().get(0) != 0;
      }
      hparams.put(key, v);
    }
    return new SessionStart(hparams, start.getField(4).getLengthDelimitedList().get(0).toStringUtf8(), dbl(start, 5));
  }

  static SessionEnd sessionEnd(ByteString pluginContent) throws IOException {
    UnknownFieldSet data = strict(UnknownFieldSet.parseFrom(pluginContent), 4);
    UnknownFieldSet end = strict(UnknownFieldSet.parseFrom(data.getField(4).getLengthDelimitedList().get(0)), 1, 2);
    return new SessionEnd(only(end.getField(1).getVarintList(), 0L).intValue(), dbl(end, 2));
  }

  static String utf8(ByteString b) {
    return new String(b.toByteArray(), StandardCharsets.UTF_8);
  }

  private static double dbl(UnknownFieldSet set, int field) {
    return Double.longBitsToDouble(only(set.getField(field).getFixed64List(), 0L));
  }

  private static List<Double> packed(UnknownFieldSet set, int field) throws IOException {
    List<Double> out = new ArrayList<>();
    for (ByteString b : set.getField(field).getLengthDelimitedList()) {
      CodedInputStream in = b.newCodedInput();
      while (!in.isAtEnd()) {
        out.add(in.readDouble());
      }
    }
    return out;
  }

  private static <T> T only(List<T> values, T absent) {
    if (values.size() > 1) {
      throw new IllegalStateException("a singular field occurs " + values.size() + " times");
    }
    return values.isEmpty() ? absent : values.get(0);
  }

  private static UnknownFieldSet strict(UnknownFieldSet set, int... known) throws InvalidProtocolBufferException {
    for (int field : set.asMap().keySet()) {
      boolean ok = false;
      for (int k : known) {
        ok |= k == field;
      }
      if (!ok) {
        throw new InvalidProtocolBufferException("unexpected field " + field + " in " + set);
      }
    }
    return set;
  }
}
