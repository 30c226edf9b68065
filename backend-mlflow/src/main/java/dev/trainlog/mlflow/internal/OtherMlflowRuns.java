package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow runs of the runs other than the backend's own whose records it is handed: those of a journal a
 * process that is gone left behind, and every record of a resend ({@code trainlog resend}). Each run's records
 * go to the MLflow run its own backend made, found by its {@value MlflowRun#TAG_RUN_ID} tag, or to one made
 * now from the records' run when it never reached the server. A run its process left {@code RUNNING} is ended
 * {@code KILLED}, as is one made here, unless its process closed it and said how ({@link #ended}); a run that
 * had ended keeps its status. Each ends no earlier than its newest record. A resend leaves a running run alone:
 * it may still run elsewhere.
 */
final class OtherMlflowRuns {

  private static final Logger LOG = LoggerFactory.getLogger(OtherMlflowRuns.class);

  private final MlflowSettings settings;
  private final MlflowHttp http;
  private final ObjectMapper json;
  private final ItemFactory items;
  private final boolean resending;
  private final Map<String, Target> targets = new LinkedHashMap<>();

  OtherMlflowRuns(MlflowSettings settings, MlflowHttp http, ObjectMapper json, ItemFactory items, boolean resending) {
    this.settings = settings;
    this.http = http;
    this.json = json;
    this.items = items;
    this.resending = resending;
  }

  /** Where the records of one other run go, and how that MLflow run ends. */
  static final class Target {
    final MlflowRun mlflowRun;
    final String id;
    final MetricMapper mapper;
    final ArtifactUploads uploads;
    /** The status the run ends with (an ended run's own), or null to leave it running. */
    private String endStatus;
    /** Whether the MLflow run had ended before (its status is its own, not one assumed here). */
    private final boolean hadEnded;
    private long endTimeMillis;

    private Target(MlflowRun mlflowRun, String id, MetricMapper mapper, ArtifactUploads uploads, String endStatus,
        boolean hadEnded, long endTimeMillis) {
      this.mlflowRun = mlflowRun;
      this.id = id;
      this.mapper = mapper;
      this.uploads = uploads;
      this.endStatus = endStatus;
      this.hadEnded = hadEnded;
      this.endTimeMillis = endTimeMillis;
    }
  }

  /** The MLflow run of {@code run}: found once, or made with its params and tags when it has none. */
  Target target(RunInfo run) throws MlflowApiException, InterruptedException {
    String key = run.runId() + "/" + run.rank();
    Target known = targets.get(key);
    if (known != null) {
      return known;
    }
    MlflowSettings its = settings.forRun(run);
    MlflowRun mlflowRun = new MlflowRun(http, json, its, run, items);
    String experimentId = mlflowRun.experimentId();
    MlflowRun.Found found = mlflowRun.find(experimentId);
    String id;
    String endStatus;
    long endTime = 0;
    if (found == null) {
      id = mlflowRun.create(experimentId);
      mlflowRun.logMetadata(id, mlflowRun.paramsAndTags());
      endStatus = RunStatus.KILLED.name();
      LOG.info("Run {} (rank {}) never reached MLflow: its records go to the MLflow run {} made for them now,"
          + " ended KILLED at its newest record's time unless its journal says how its process closed it", run.runId(),
          run.rank(), id);
    } else if ("RUNNING".equals(found.status())) {
      endStatus = resending ? null : RunStatus.KILLED.name();
      LOG.info("Records of run {} (rank {}) go to its MLflow run {}{}", run.runId(), run.rank(), found.id(),
          resending ? "" : ", which its process left RUNNING: it is ended KILLED at its newest record's time unless"
              + " its journal says how its process closed it");
      id = found.id();
    } else {
      id = found.id();
      endStatus = found.status();
      endTime = found.endTimeMillis();
      LOG.info("Records of run {} (rank {}) go to its MLflow run {}, which keeps its status {}", run.runId(),
          run.rank(), id, endStatus);
    }
    Target target = new Target(mlflowRun, id, new MetricMapper(items, its.vectors, its.text), new ArtifactUploads(http),
        endStatus, found != null && !"RUNNING".equals(found.status()), endTime);
    targets.put(key, target);
    return target;
  }

  /** After {@code written} reached {@code target}'s run: its end time moves up to their newest record's. */
  void written(Target target, List<LogRecord> written) throws MlflowApiException, InterruptedException {
    long newest = Long.MIN_VALUE;
    for (LogRecord record : written) {
      newest = Math.max(newest, record.timestampMillis());
    }
    if (target.endStatus != null && newest > target.endTimeMillis) {
      target.mlflowRun.end(target.id, target.endStatus, newest);
      target.endTimeMillis = newest;
    }
  }

  /**
   * How {@code run}'s process closed it, told once its records are written: its MLflow run ends with that
   * status instead of the KILLED assumed (or, in a resend, left running), no earlier than its newest record. A
   * run that had ended keeps its own.
   */
  void ended(RunInfo run, RunStatus status, long endTimeMillis, String ownRunId)
      throws MlflowApiException, InterruptedException {
    Target target = target(run);
    if (target.hadEnded || target.id.equals(ownRunId)) { // the backend's own MLflow run: its own close ends it
      return;
    }
    target.endStatus = status.name();
    target.endTimeMillis = Math.max(target.endTimeMillis, endTimeMillis);
    target.mlflowRun.end(target.id, target.endStatus, target.endTimeMillis);
    LOG.info("MLflow run {} of run {} (rank {}) ended {}, as its process closed it", target.id, run.runId(),
        run.rank(), status);
  }

  /** Logs the last texts of each run (with {@code text: tag-at-end}) as its tags. */
  void close() throws MlflowApiException, InterruptedException {
    for (Target t : targets.values()) {
      if (!t.mapper.lastTexts().isEmpty()) {
        t.mlflowRun.logMetadata(t.id, t.mlflowRun.tags(t.mapper.lastTexts()));
        t.mapper.lastTexts().clear();
      }
    }
  }
}
