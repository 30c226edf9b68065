package dev.trainlog.tensorboard.read;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded {@code TensorProto}: its dtype, shape, and elements as doubles (float, double, int32 and
 * int64 dtypes; from the typed repeated fields or from raw little-endian {@code tensor_content}) or as
 * strings (DT_STRING). Other dtypes decode with no elements.
 */
record TensorValue(int dtype, long[] shape, double[] numbers, List<String> strings) {

  static final int DT_FLOAT = 1;
  static final int DT_DOUBLE = 2;
  static final int DT_INT32 = 3;
  static final int DT_STRING = 7;
  static final int DT_INT64 = 9;

  // TensorProto, TensorShapeProto and its Dim
  private static final int DTYPE = 1;
  private static final int SHAPE = 2;
  private static final int CONTENT = 4;
  private static final int FLOAT_VAL = 5;
  private static final int DOUBLE_VAL = 6;
  private static final int INT_VAL = 7;
  private static final int STRING_VAL = 8;
  private static final int INT64_VAL = 10;
  private static final int SHAPE_DIM = 2;
  private static final int DIM_SIZE = 1;

  boolean isNumeric() {
    return dtype == DT_FLOAT || dtype == DT_DOUBLE || dtype == DT_INT32 || dtype == DT_INT64;
  }

  /** The number of elements the shape gives (1 for rank 0). */
  long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  static TensorValue decode(WireReader in) {
    int dtype = 0;
    long[] shape = new long[0];
    byte[] content = null;
    DoubleList numbers = new DoubleList();
    List<String> strings = new ArrayList<>();
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case DTYPE -> dtype = (int) in.readVarint();
        case SHAPE -> shape = shape(in.readMessage());
        case CONTENT -> content = in.readBytes();
        case FLOAT_VAL -> readRepeated(in, numbers, WireReader.FIXED32);
        case DOUBLE_VAL -> readRepeated(in, numbers, WireReader.FIXED64);
        case INT_VAL -> readRepeated(in, numbers, -1);
        case INT64_VAL -> readRepeated(in, numbers, -2);
        case STRING_VAL -> strings.add(new String(in.readBytes(), StandardCharsets.UTF_8));
        default -> in.skip();
      }
    }
    double[] values = content != null ? fromContent(dtype, content) : numbers.toArray();
    return new TensorValue(dtype, shape, values, strings);
  }

  private static long[] shape(WireReader in) {
    List<Long> dims = new ArrayList<>();
    for (int f; (f = in.nextField()) != -1; ) {
      if (f == SHAPE_DIM) {
        WireReader dim = in.readMessage();
        long size = 0;
        for (int g; (g = dim.nextField()) != -1; ) {
          if (g == DIM_SIZE) {
            size = dim.readVarint();
          } else {
            dim.skip();
          }
        }
        dims.add(size);
      } else {
        in.skip();
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Reads one element or, for a length-delimited field, a packed run of them. {@code kind}: FIXED32 a
   * float, FIXED64 a double, -1 an int32 varint, -2 an int64 varint.
   */
  private static void readRepeated(WireReader in, DoubleList out, int kind) {
    if (in.wireType() == WireReader.LENGTH_DELIMITED) {
      WireReader packed = in.readMessage();
      while (!packed.atEnd()) {
        out.add(element(packed, kind));
      }
    } else {
      out.add(element(in, kind));
    }
  }

  private static double element(WireReader in, int kind) {
    return switch (kind) {
      case WireReader.FIXED32 -> in.readFloat();
      case WireReader.FIXED64 -> in.readDouble();
      case -1 -> (int) in.readVarint();
      default -> in.readVarint();
    };
  }

  private static double[] fromContent(int dtype, byte[] content) {
    int width = switch (dtype) {
      case DT_FLOAT, DT_INT32 -> 4;
      case DT_DOUBLE, DT_INT64 -> 8;
      default -> 0;
    };
    if (width == 0) {
      return new double[0];
    }
    WireReader raw = new WireReader(content, 0, content.length - content.length % width);
    double[] values = new double[content.length / width];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (dtype) {
        case DT_FLOAT -> raw.readFloat();
        case DT_INT32 -> raw.readFixed32();
        case DT_DOUBLE -> raw.readDouble();
        default -> raw.readFixed64();
      };
    }
    return values;
  }

  /** A growable double array, so that packed values are not boxed. */
  private static final class DoubleList {
    private double[] values = new double[4];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
