package dev.trainlog.cli;

import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.spec.StepValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics a run has and what kind each is (scalar, vector, map, text, image, artifact): its summary's (scalars)
 * and what its first stored step documents hold, for suggestions on an unknown metric and for what
 * {@code export} writes by default.
 */
final class MetricNames {

  /** Step documents looked at besides the summary: {@value}. */
  static final int SAMPLE_DOCUMENTS = 200;

  private MetricNames() {}

  /** Every metric name of {@code runs}, sorted, with its kind: "scalar", "vector", "map", "text", "image" or "artifact". */
  static Map<String, String> of(Store store, List<RunView> runs) {
    Map<String, String> kinds = new TreeMap<>();
    for (RunView run : runs) {
      run.summary().forEach(m -> kinds.put(m.name(), "scalar"));
      for (StepValues d : store.query().firstSteps(run.record(), SAMPLE_DOCUMENTS)) {
        d.metrics().forEach((key, v) -> kinds.putIfAbsent(key, kind(v)));
      }
    }
    return kinds;
  }

  /**
   * The kind of a stored value: an image is stored as a list of references to GridFS files and an artifact as
   * one reference, each holding {@link StoreSchema#GRIDFS_ID}; other lists are vectors, other maps nested metrics.
   */
  static String kind(Object v) {
    if (v instanceof Number) {
      return "scalar";
    }
    if (v instanceof List<?> list) {
      return !list.isEmpty() && isFileReference(list.get(0)) ? "image" : "vector";
    }
    if (v instanceof Map) {
      return isFileReference(v) ? "artifact" : "map";
    }
    return "text";
  }

  /** The GridFS file id of a stored reference to an image or an artifact, or null when {@code v} is none. */
  static String fileId(Object v) {
    return v instanceof Map<?, ?> m && m.get(StoreSchema.GRIDFS_ID) instanceof String id ? id : null;
  }

  private static boolean isFileReference(Object v) {
    return fileId(v) != null;
  }

  /**
   * What to say about {@code metric}, which no run has points of: that it is a vector, or the names it is
   * closest to; and the runs' metrics by kind.
   */
  static String hint(String metric, Map<String, String> kinds) {
    String kind = kinds.get(metric);
    if ("image".equals(kind)) {
      return metric + " is an image, which compare shows under Sample images: 'trainlog export --images DIR' writes"
          + " its files";
    }
    if ("vector".equals(kind)) {
      return metric + " is a vector (one value per element a step), which compare does not draw: 'trainlog export"
          + " --metric " + metric + "' writes it";
    }
    StringBuilder sb = new StringBuilder(kind != null ? metric + (kind.equals("artifact") ? " is an " : " is a ") + kind + ", which compare does not draw"
        : "no metric " + metric);
    List<String> close = new ArrayList<>();
    for (String name : kinds.keySet()) {
      if (kind == null && "scalar".equals(kinds.get(name)) && (Suggestions.distance(metric, name)
          <= Math.max(2, metric.length() / 3) || name.contains(metric))) {
        close.add(name);
      }
    }
    close.sort(Comparator.comparingInt((String n) -> Suggestions.distance(metric, n)).thenComparing(n -> n));
    if (!close.isEmpty()) {
      int nearest = Suggestions.distance(metric, close.get(0));
      close.removeIf(n -> Suggestions.distance(metric, n) > nearest && !n.contains(metric)); // only the closest
      sb.append("; did you mean ").append(String.join(" or ", close.stream().limit(3).map(n -> "'" + n + "'")
          .toList())).append('?');
    }
    sb.append(" The runs' scalars: ").append(names(kinds, "scalar"));
    String vectors = names(kinds, "vector");
    if (!vectors.equals("none")) {
      sb.append("; vectors (export writes them): ").append(vectors);
    }
    return sb.toString();
  }

  private static String names(Map<String, String> kinds, String kind) {
    List<String> names = kinds.entrySet().stream().filter(e -> e.getValue().equals(kind)).map(Map.Entry::getKey)
        .toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
