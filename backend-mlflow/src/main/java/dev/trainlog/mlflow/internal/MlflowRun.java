package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow side of a run's life: finds or creates the experiment (a create race with another rank
 * ends in a second lookup), creates or resumes the run, logs its params and tags, and sets its final
 * status.
 */
final class MlflowRun {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowRun.class);

  /** Tag holding TrainLog's run id, shared by every rank's MLflow run. */
  static final String TAG_RUN_ID = "trainlog.run_id";

  /** Tag holding the rank of an MLflow run created with {@code ranks: all}. */
  static final String TAG_RANK = "trainlog.rank";

  /**
   * Prefix of the tag a run that resumed an MLflow run by its MLflow id ({@code run-id}, {@code MLFLOW_RUN_ID}) sets
   * on it, followed by its own TrainLog run id, valued its rank: that MLflow run carries the creating run's {@value
   * #TAG_RUN_ID}, and this tag is how the resuming run's records left behind by a kill find it.
   */
  static final String TAG_RESUMED = "trainlog.resumed.";

  private final MlflowHttp http;
  private final ObjectMapper json;
  private final MlflowSettings settings;
  private final RunInfo run;
  private final ItemFactory items;
  /** Whether {@link #start} resumed the configured MLflow run id: {@link #paramsAndTags} then tags it. */
  private boolean resumedById;

  MlflowRun(MlflowHttp http, ObjectMapper json, MlflowSettings settings, RunInfo run, ItemFactory items) {
    this.http = http;
    this.json = json;
    this.settings = settings;
    this.run = run;
    this.items = items;
  }

  /** The MLflow run name: the configured one, with {@code -rank<N>} when every rank logs. */
  String runName() {
    return settings.allRanks ? settings.runName + "-rank" + run.rank() : settings.runName;
  }

  /**
   * Resumes the configured run id; else the MLflow run an earlier process of this run made (a run resumed with its
   * TrainLog id, {@code run.id} or {@code TRAINLOG_RUN_ID}, goes on in the same MLflow run, as MLflow's own resume
   * does); else creates a run. Returns the MLflow run id.
   */
  String start() throws MlflowApiException, InterruptedException {
    if (settings.runId != null && run.rank() == 0) {
      resumedById = true;
      return resume(settings.runId);
    }
    String experimentId = experimentId();
    Found earlier = find(experimentId);
    if (earlier != null) {
      LOG.info("Run {} (rank {}) was resumed with its id: it goes on in the MLflow run {} an earlier process made",
          run.runId(), run.rank(), earlier.id());
      return resume(earlier.id());
    }
    return create(experimentId);
  }

  /** The run found by {@link #find}: its MLflow id, status and end time (0 while it runs). */
  record Found(String id, String status, long endTimeMillis) {}

  /**
   * The MLflow run a backend made for this run before, found by its {@value #TAG_RUN_ID} tag (and {@value
   * #TAG_RANK} with {@code ranks: all}) in {@code experimentId}, the newest if several, else the one it resumed by
   * its MLflow id ({@link #resumedTag}); null when none is, or when the run id holds both kinds of quote, which a
   * search filter cannot hold.
   */
  Found find(String experimentId) throws MlflowApiException, InterruptedException {
    String id = quoted(run.runId());
    if (id == null) {
      return null;
    }
    Found made = search(experimentId, "tags.`" + TAG_RUN_ID + "` = " + id
        + (settings.allRanks ? " and tags.`" + TAG_RANK + "` = '" + run.rank() + "'" : ""));
    // else one this run resumed by its MLflow id
    return made != null ? made : search(experimentId, "tags.`" + resumedTag() + "` = '" + run.rank() + "'");
  }

  /** The {@value #TAG_RESUMED} tag of this run: its run id with what a tag key cannot hold as {@code _}. */
  String resumedTag() {
    String key = TAG_RESUMED + run.runId().replaceAll("[^\\w.\\- /]", "_");
    return key.length() <= 250 ? key : key.substring(0, 250);
  }

  private Found search(String experimentId, String filter) throws MlflowApiException, InterruptedException {
    ObjectNode body = json.createObjectNode();
    body.putArray("experiment_ids").add(experimentId);
    body.put("filter", filter);
    body.put("max_results", 1);
    body.putArray("order_by").add("attributes.start_time DESC");
    JsonNode runs = http.post("runs/search", body).path("runs");
    if (runs.isEmpty()) {
      return null;
    }
    JsonNode info = runs.get(0).path("info");
    return new Found(info.path("run_id").asText(), info.path("status").asText(), info.path("end_time").asLong(0));
  }

  private static String quoted(String value) {
    if (value.indexOf('\'') < 0) {
      return "'" + value + "'";
    }
    return value.indexOf('"') < 0 ? '"' + value + '"' : null;
  }

  /** The id of the run's experiment, which is created if it is missing. */
  String experimentId() throws MlflowApiException, InterruptedException {
    return experimentId(settings.experiment);
  }

  /** Creates the run in {@code experimentId}; returns its MLflow run id. */
  String create(String experimentId) throws MlflowApiException, InterruptedException {
    ObjectNode body = json.createObjectNode();
    body.put("experiment_id", experimentId);
    body.put("user_id", settings.user);
    body.put("start_time", run.startTimeMillis());
    body.put("run_name", runName());
    ArrayNode tags = body.putArray("tags");
    systemTags().forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
    String runId = http.post("runs/create", body).path("run").path("info").path("run_id").asText();
    LOG.info("MLflow run '{}' ({}) created in experiment '{}' ({})", runName(), runId, settings.experiment, experimentId);
    return runId;
  }

  private String resume(String runId) throws MlflowApiException, InterruptedException {
    try {
      http.get("runs/get", Map.of("run_id", runId));
    } catch (MlflowApiException e) {
      if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
        throw new MlflowApiException("cannot resume MLflow run '" + runId + "' (run-id or MLFLOW_RUN_ID): "
            + e.getMessage(), e, e.status(), e.errorCode(), false);
      }
      throw e;
    }
    ObjectNode body = json.createObjectNode();
    body.put("run_id", runId);
    body.put("status", "RUNNING");
    http.post("runs/update", body);
    LOG.info("MLflow run {} resumed", runId);
    return runId;
  }

  private String experimentId(String name) throws MlflowApiException, InterruptedException {
    try {
      return lookUp(name);
    } catch (MlflowApiException e) {
      if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
        throw e;
      }
    }
    try {
      ObjectNode body = json.createObjectNode();
      body.put("name", name);
      String id = http.post("experiments/create", body).path("experiment_id").asText();
      LOG.info("MLflow experiment '{}' created ({})", name, id);
      return id;
    } catch (MlflowApiException e) {
      if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        // another rank or process created it between our lookup and our create
        return lookUp(name);
      }
      throw e;
    }
  }

  private String lookUp(String name) throws MlflowApiException, InterruptedException {
    JsonNode answer = http.get("experiments/get-by-name", Map.of("experiment_name", name));
    return answer.path("experiment").path("experiment_id").asText();
  }

  private Map<String, String> systemTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("mlflow.runName", runName());
    tags.put("mlflow.user", settings.user);
    tags.put("mlflow.source.name", sourceName());
    tags.put("mlflow.source.type", "LOCAL");
    tags.put(TAG_RUN_ID, run.runId());
    if (settings.allRanks) {
      tags.put(TAG_RANK, Integer.toString(run.rank()));
    }
    return tags;
  }

  private static String sourceName() {
    String command = System.getProperty("sun.java.command", "").trim();
    // only the main class or jar: arguments may hold secrets
    return command.isEmpty() ? "trainlog" : command.split("\\s+", 2)[0];
  }

  /** The run's params (its config snapshot flattened with '.') and tags, as log-batch items. */
  List<BatchItem> paramsAndTags() {
    List<BatchItem> out = new ArrayList<>();
    Map<String, BatchItem> params = new LinkedHashMap<>();
    ConfigFlattener.flatten(run.config(), json).forEach((k, v) -> {
      BatchItem item = items.param(k, v);
      // two keys that sanitise alike would make the server reject the whole request
      if (params.putIfAbsent(item.json().get("key").asText(), item) != null) {
        LOG.warn("param '{}' maps to an MLflow key already used by another param; only the first is logged", k);
      }
    });
    out.addAll(params.values());
    out.addAll(tags(run.tags()));
    out.addAll(tags(ProvenanceTags.of(run.provenance())));
    if (resumedById) {
      out.add(items.tag(resumedTag(), Integer.toString(run.rank())));
    }
    return out;
  }

  /** Logs params and tags to {@code id}; they are not records: a refused one is warned about, never dead-lettered. */
  void logMetadata(String id, List<BatchItem> metadata) throws MlflowApiException, InterruptedException {
    for (LogBatchRequest request : BatchSplitter.split(metadata)) {
      try {
        http.post("runs/log-batch", request.toJson(json, id));
      } catch (MlflowApiException e) {
        if (e.retryable()) {
          throw e;
        }
        LOG.warn("MLflow refused {} params and {} tags of run {}: {}", request.params, request.tags, id, e.getMessage());
      }
    }
  }

  /** Tags as items, the last value winning when two keys sanitise alike. */
  List<BatchItem> tags(Map<String, String> tags) {
    Map<String, BatchItem> byKey = new LinkedHashMap<>();
    tags.forEach((k, v) -> {
      BatchItem item = items.tag(k, v);
      byKey.put(item.json().get("key").asText(), item);
    });
    return new ArrayList<>(byKey.values());
  }

  /** Sets the final status and end time; logging to a finished run stays allowed by MLflow. */
  void finish(String runId, RunStatus status, long endTimeMillis) throws MlflowApiException, InterruptedException {
    end(runId, status.name(), endTimeMillis);
    LOG.info("MLflow run {} marked {}", runId, status);
  }

  /** Sets {@code status} (an MLflow run status name) and the end time. */
  void end(String runId, String status, long endTimeMillis) throws MlflowApiException, InterruptedException {
    ObjectNode body = json.createObjectNode();
    body.put("run_id", runId);
    body.put("status", status);
    body.put("end_time", endTimeMillis);
    http.post("runs/update", body);
  }
}
