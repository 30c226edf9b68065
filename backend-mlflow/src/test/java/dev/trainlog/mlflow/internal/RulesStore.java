package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The state of {@link MlflowRulesServer} and MLflow 2.17's rules on it (SQLite store): limits, key
 * checks with the server's messages, silent truncation, de-duplication of identical points, the
 * refusal of a re-sent NaN point, and the corruption a bare NaN/Infinity literal causes.
 */
final class RulesStore {

  /** What SQLite keeps of an infinite value. */
  static final double SQLITE_MAX = 1.7976931348623157e308;

  private static final Pattern VALID_KEY = Pattern.compile("^[/\\w.\\- :]*$");
  private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-),"
      + " periods (.), spaces ( ), colon(:) and slashes (/).";

  /** One stored metric point. */
  record Point(String key, double value, boolean nan, long timestamp, long step) {}

  /** One stored run. */
  static final class Run {
    final String id;
    final String experimentId;
    final String name;
    final String user;
    final long startTime;
    String status = "RUNNING";
    Long endTime;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Map<String, String> params = new LinkedHashMap<>();
    final List<Point> points = new ArrayList<>();
    final Set<Point> pointSet = new HashSet<>();

    Run(String id, String experimentId, String name, String user, long startTime) {
      this.id = id;
      this.experimentId = experimentId;
      this.name = name;
      this.user = user;
      this.startTime = startTime;
    }
  }

  /** An API error the server answers as JSON. */
  static final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private final ObjectMapper json;
  final Map<String, String> experiments = new LinkedHashMap<>();
  final Map<String, Run> runs = new LinkedHashMap<>();
  /** Log-batch requests that held a bare non-finite literal and so corrupted the run. */
  int corruptedBatches;
  private String experimentCreatedBehindLookup;

  RulesStore(ObjectMapper json) {
    this.json = json;
  }

  /** The next lookup of {@code name} misses, and the experiment appears right after: a create race. */
  synchronized void raceOnExperiment(String name) {
    experimentCreatedBehindLookup = name;
  }

  synchronized String createExperimentNamed(String name) {
    return experiments.computeIfAbsent(name, n -> Integer.toString(experiments.size() + 1));
  }

  synchronized ObjectNode getExperimentByName(String name) throws ApiError {
    if (name.equals(experimentCreatedBehindLookup)) {
      experimentCreatedBehindLookup = null;
      createExperimentNamed(name);
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
    }
    String id = experiments.get(name);
    if (id == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
    }
    ObjectNode out = json.createObjectNode();
    out.putObject("experiment").put("experiment_id", id).put("name", name).put("lifecycle_stage", "active");
    return out;
  }

  synchronized ObjectNode createExperiment(JsonNode body) throws ApiError {
    String name = body.path("name").asText("");
    if (name.isEmpty()) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid experiment name: ''");
    }
    if (experiments.containsKey(name)) {
      throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "Experiment '" + name + "' already exists.");
    }
    ObjectNode out = json.createObjectNode();
    out.put("experiment_id", createExperimentNamed(name));
    return out;
  }

  synchronized ObjectNode createRun(JsonNode body) throws ApiError {
    String experimentId = body.path("experiment_id").asText();
    if (!experiments.containsValue(experimentId)) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + experimentId + " exists");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    Run run = new Run(id, experimentId, body.path("run_name").asText(), body.path("user_id").asText(),
        body.path("start_time").asLong());
    for (JsonNode tag : body.path("tags")) {
      run.tags.put(tag.path("key").asText(), tag.path("value").asText());
    }
    runs.put(id, run);
    ObjectNode out = json.createObjectNode();
    out.putObject("run").set("info", info(run));
    return out;
  }

  /**
   * {@code runs/search} for the filters the backend sends: tag equalities joined by {@code and}, newest first; an
   * unreadable filter is refused as the server refuses it.
   */
  synchronized ObjectNode searchRuns(JsonNode body) throws ApiError {
    Set<String> experimentIds = new HashSet<>();
    body.path("experiment_ids").forEach(e -> experimentIds.add(e.asText()));
    Map<String, String> wanted = new LinkedHashMap<>();
    String filter = body.path("filter").asText("");
    java.util.regex.Matcher m = Pattern.compile("tags\\.`([^`]+)` = (?:'([^']*)'|\"([^\"]*)\")").matcher("");
    for (String clause : filter.isBlank() ? new String[0] : filter.split(" and ")) {
      if (!m.reset(clause.trim()).matches()) {
        throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '" + clause + "'");
      }
      wanted.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    List<Run> found = new ArrayList<>();
    for (Run run : runs.values()) {
      if (experimentIds.contains(run.experimentId)
          && wanted.entrySet().stream().allMatch(w -> w.getValue().equals(run.tags.get(w.getKey())))) {
        found.add(run);
      }
    }
    found.sort((a, b) -> Long.compare(b.startTime, a.startTime));
    int max = body.path("max_results").asInt(1000);
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("runs");
    found.stream().limit(max).forEach(run -> list.addObject().set("info", info(run)));
    return out;
  }

  synchronized Run run(String id) throws ApiError {
    Run run = runs.get(id);
    if (run == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
    }
    return run;
  }

  synchronized ObjectNode getRun(String id) throws ApiError {
    Run run = run(id);
    ObjectNode out = json.createObjectNode();
    ObjectNode r = out.putObject("run");
    r.set("info", info(run));
    ObjectNode data = r.putObject("data");
    Map<String, Point> latest = new LinkedHashMap<>();
    run.points.forEach(p -> latest.put(p.key(), p));
    ArrayNode metrics = data.putArray("metrics");
    latest.values().forEach(p -> metrics.add(point(p)));
    ArrayNode params = data.putArray("params");
    run.params.forEach((k, v) -> params.addObject().put("key", k).put("value", v));
    ArrayNode tags = data.putArray("tags");
    run.tags.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
    return out;
  }

  synchronized ObjectNode updateRun(JsonNode body) throws ApiError {
    Run run = run(body.path("run_id").asText());
    String status = body.path("status").asText("");
    // the real server silently ignores a status it does not know
    if (List.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED").contains(status)) {
      run.status = status;
    }
    if (body.has("end_time")) {
      run.endTime = body.get("end_time").asLong();
    }
    ObjectNode out = json.createObjectNode();
    out.putObject("run_info").setAll(info(run));
    return out;
  }

  synchronized ObjectNode history(String runId, String key) throws ApiError {
    Run run = run(runId);
    ObjectNode out = json.createObjectNode();
    ArrayNode metrics = out.putArray("metrics");
    run.points.stream().filter(p -> p.key().equals(key)).forEach(p -> metrics.add(point(p)));
    return out;
  }

  /** {@code runs/log-batch}, with {@code body} parsed leniently so that bare literals can be seen. */
  synchronized ObjectNode logBatch(JsonNode body) throws ApiError {
    Run run = run(body.path("run_id").asText());
    JsonNode metrics = body.path("metrics");
    JsonNode params = body.path("params");
    JsonNode tags = body.path("tags");
    limit("metrics", 1000, metrics.size());
    limit("params", 100, params.size());
    limit("tags", 100, tags.size());
    limit("metrics, params, and tags", 1000, metrics.size() + params.size() + tags.size());
    for (int i = 0; i < metrics.size(); i++) {
      String key = metrics.get(i).path("key").asText();
      checkName(key, "metrics[" + i + "].name");
      checkLength("Metric name", key);
      long timestamp = metrics.get(i).path("timestamp").asLong();
      if (timestamp < 0) {
        throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid value " + timestamp + " for parameter 'metrics["
            + i + "].timestamp' supplied: metric '" + key + "' (value=" + metrics.get(i).path("value").asText()
            + "). Timestamp must be a nonnegative long (64-bit integer) ");
      }
    }
    for (int i = 0; i < params.size(); i++) {
      String key = params.get(i).path("key").asText();
      checkName(key, "params[" + i + "].key");
      checkLength("Param key", key);
    }
    for (int i = 0; i < tags.size(); i++) {
      String key = tags.get(i).path("key").asText();
      checkName(key, "tags[" + i + "].key");
      checkLength("Tag key", key);
    }
    for (JsonNode p : params) {
      String key = p.path("key").asText();
      String value = cut(p.path("value").asText(), 6000);
      String old = run.params.get(key);
      if (old != null && !old.equals(value)) {
        throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed. Param with key='"
            + key + "' was already logged with value='" + old + "' for run ID='" + run.id
            + "'. Attempted logging new value '" + value + "'.");
      }
    }
    params.forEach(p -> run.params.put(p.path("key").asText(), cut(p.path("value").asText(), 6000)));
    if (!logMetrics(run, metrics)) {
      return json.createObjectNode();
    }
    // tags over 8000 characters are cut by the measured server (5000 documented)
    tags.forEach(t -> run.tags.put(t.path("key").asText(), cut(t.path("value").asText(), 8000)));
    return json.createObjectNode();
  }

  /** Stores the points; false when a bare literal corrupted the run and the rest of the batch is lost. */
  private boolean logMetrics(Run run, JsonNode metrics) throws ApiError {
    List<Point> fresh = new ArrayList<>();
    for (JsonNode m : metrics) {
      JsonNode v = m.path("value");
      Double value = decode(v);
      if (value == null) {
        corruptedBatches++;
        Point zero = new Point(m.path("key").asText(), 0.0, false, m.path("timestamp").asLong(), 0);
        insert(run, fresh);
        if (run.pointSet.add(zero)) {
          run.points.add(zero);
        }
        return false;
      }
      boolean nan = Double.isNaN(value);
      Point p = new Point(m.path("key").asText(), nan ? 0.0 : value, nan, m.path("timestamp").asLong(),
          m.path("step").asLong());
      if (nan && run.pointSet.contains(p)) {
        // SQLite's duplicate recovery cannot match NaN, so the unique constraint fails the request
        throw new ApiError(400, "BAD_REQUEST", "(sqlite3.IntegrityError) UNIQUE constraint failed: metrics.key,"
            + " metrics.timestamp, metrics.step, metrics.run_uuid, metrics.value, metrics.is_nan");
      }
      fresh.add(p);
    }
    insert(run, fresh);
    return true;
  }

  private static void insert(Run run, List<Point> points) {
    for (Point p : points) {
      if (run.pointSet.add(p)) {
        run.points.add(p);
      }
    }
  }

  /** The stored value of a metric's JSON value, or null for one that corrupts the run. */
  private static Double decode(JsonNode v) {
    if (v.isNumber()) {
      double d = v.asDouble();
      return Double.isFinite(d) ? d : null;
    }
    if (v.isTextual()) {
      switch (v.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return SQLITE_MAX;
        case "-Infinity":
          return -SQLITE_MAX;
        default:
          return null;
      }
    }
    return null;
  }

  private ObjectNode point(Point p) {
    ObjectNode node = json.createObjectNode().put("key", p.key());
    if (p.nan()) {
      node.put("value", "NaN");
    } else {
      node.put("value", p.value());
    }
    return node.put("timestamp", p.timestamp()).put("step", p.step());
  }

  private ObjectNode info(Run run) {
    ObjectNode info = json.createObjectNode()
        .put("run_id", run.id).put("run_uuid", run.id).put("experiment_id", run.experimentId)
        .put("run_name", run.name).put("user_id", run.user).put("status", run.status)
        .put("start_time", run.startTime).put("lifecycle_stage", "active");
    if (run.endTime != null) {
      info.put("end_time", run.endTime);
    }
    return info;
  }

  private static void limit(String entity, int limit, int length) throws ApiError {
    if (length > limit) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most " + limit + " "
          + entity + ". Got " + length + " " + entity + ". Please split up " + entity
          + " across multiple requests and try again.");
    }
  }

  private static void checkName(String key, String path) throws ApiError {
    if (!VALID_KEY.matcher(key).matches()) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE",
          "Invalid value \"" + key + "\" for parameter '" + path + "' supplied: " + BAD_CHARACTERS);
    }
    String norm = normpath(key);
    if (!norm.equals(key) || norm.equals(".") || norm.startsWith("..") || norm.startsWith("/")) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid value \"" + key + "\" for parameter '" + path
          + "' supplied: Names may be treated as files in certain cases, and must not resolve to other names when"
          + " treated as such. This name would resolve to '" + norm + "'");
    }
  }

  private static void checkLength(String entity, String key) throws ApiError {
    if (key.length() > 250) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE",
          "'" + entity + "' exceeds the maximum length of 250 characters");
    }
  }

  /** Python's {@code posixpath.normpath}. */
  static String normpath(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean abs = path.startsWith("/");
    String lead = abs ? (path.startsWith("//") && !path.startsWith("///") ? "//" : "/") : "";
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (!c.equals("..") || (!abs && parts.isEmpty()) || (!parts.isEmpty() && parts.get(parts.size() - 1).equals(".."))) {
        parts.add(c);
      } else if (!parts.isEmpty()) {
        parts.remove(parts.size() - 1);
      }
    }
    String out = lead + String.join("/", parts);
    return out.isEmpty() ? "." : out;
  }

  private static String cut(String value, int limit) {
    return value.length() > limit ? value.substring(0, limit) : value;
  }
}
