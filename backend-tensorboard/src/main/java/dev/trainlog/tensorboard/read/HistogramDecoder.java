package dev.trainlog.tensorboard.read;

import java.util.ArrayList;
import java.util.List;

/** Reads histograms in both forms writers use: a {@code HistogramProto} and a [k,3] tensor of (left, right, count). */
final class HistogramDecoder {

  private static final int MIN = 1;
  private static final int MAX = 2;
  private static final int NUM = 3;
  private static final int SUM = 4;
  private static final int SUM_SQUARES = 5;
  private static final int BUCKET_LIMIT = 6;
  private static final int BUCKET = 7;

  private HistogramDecoder() {}

  static TbHistogram fromProto(WireReader in) {
    double min = 0;
    double max = 0;
    double num = 0;
    double sum = 0;
    double sumSquares = 0;
    List<Double> limits = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    for (int f; (f = in.nextField()) != -1; ) {
      switch (f) {
        case MIN -> min = in.readDouble();
        case MAX -> max = in.readDouble();
        case NUM -> num = in.readDouble();
        case SUM -> sum = in.readDouble();
        case SUM_SQUARES -> sumSquares = in.readDouble();
        case BUCKET_LIMIT -> doubles(in, limits);
        case BUCKET -> doubles(in, counts);
        default -> in.skip();
      }
    }
    return new TbHistogram(min, max, num, sum, sumSquares, toArray(limits), toArray(counts));
  }

  /** The histogram of a [k,3] tensor, or null if the tensor does not have that shape. */
  static TbHistogram fromTensor(TensorValue t) {
    if (!t.isNumeric() || t.shape().length != 2 || t.shape()[1] != 3 || t.numbers().length != t.elementCount()) {
      return null;
    }
    int k = (int) t.shape()[0];
    double[] v = t.numbers();
    double[] limits = new double[k];
    double[] counts = new double[k];
    double num = 0;
    for (int i = 0; i < k; i++) {
      limits[i] = v[3 * i + 1];
      counts[i] = v[3 * i + 2];
      num += counts[i];
    }
    double min = k == 0 ? 0 : v[0];
    double max = k == 0 ? 0 : v[3 * k - 2];
    return new TbHistogram(min, max, num, Double.NaN, Double.NaN, limits, counts);
  }

  private static void doubles(WireReader in, List<Double> out) {
    if (in.wireType() == WireReader.LENGTH_DELIMITED) {
      WireReader packed = in.readMessage();
      while (!packed.atEnd()) {
        out.add(packed.readDouble());
      }
    } else {
      out.add(in.readDouble());
    }
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
