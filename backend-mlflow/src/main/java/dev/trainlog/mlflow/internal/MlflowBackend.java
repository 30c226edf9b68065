package dev.trainlog.mlflow.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run to an MLflow tracking server through {@code runs/log-batch} only. It never retries on
 * its own: a failure goes to the core as a {@link BackendException} saying whether it is retryable
 * and how long the server asked to wait. A retried batch is harmless: metric timestamps are the
 * records' wall times, so the server stores identical points once, and its refusal of a re-sent NaN
 * point is taken as "already stored".
 *
 * <p>Records of another run (the journal a process that is gone left behind, a resend) go to that run's own
 * MLflow run through {@link OtherMlflowRuns}, never to this run's. A resending backend ({@code trainlog resend})
 * makes no run of its own: every record goes to the run it carries.
 */
final class MlflowBackend implements LogBackend {

  private static final Logger LOG = LoggerFactory.getLogger(MlflowBackend.class);

  private final MlflowSettings settings;
  private final RunInfo run;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final KeySanitizer keys = new KeySanitizer();
  private final ItemFactory items = new ItemFactory(json, keys);
  private final MetricMapper mapper;
  private final boolean active;
  /** Whether this backend resends ({@code trainlog resend}): it is no run, every record is another run's. */
  private final boolean resending;
  private MlflowHttp http;
  private OtherMlflowRuns others;
  private MlflowRun mlflowRun;
  /** The run created or resumed by an {@code open()} whose params and tags may not be logged yet. */
  private String startedId;
  private String runId;
  private ArtifactUploads uploads;
  private boolean textsReported;
  private boolean closed;

  MlflowBackend(MlflowSettings settings, RunInfo run, Clock clock) {
    this(settings, run, clock, false);
  }

  MlflowBackend(MlflowSettings settings, RunInfo run, Clock clock, boolean resending) {
    this.resending = resending;
    this.settings = settings;
    this.run = run;
    this.clock = clock;
    this.mapper = new MetricMapper(items, settings.vectors, settings.text);
    this.active = settings.allRanks || run.rank() == 0;
  }

  /** The MLflow run id once open, {@code null} before or when this rank does not log. */
  String runId() {
    return runId;
  }

  /** How many keys were changed to fit MLflow's rules (each warned once). */
  int keyWarnings() {
    return keys.warnings();
  }

  @Override
  public void open() throws Exception {
    if (http == null) {
      // also for a rank that does not log: it may be handed rank 0's records of a run that is gone
      http = new MlflowHttp(settings, json, clock);
      uploads = new ArtifactUploads(http);
      mlflowRun = new MlflowRun(http, json, settings, run, items);
      others = new OtherMlflowRuns(settings, http, json, items, resending);
    }
    if (resending) {
      return;
    }
    if (!active) {
      LOG.info("MLflow backend: rank {} does not log (only rank 0 does; set ranks: all to log every rank)", run.rank());
      return;
    }
    if (runId != null) {
      return;
    }
    if (startedId == null) {
      startedId = mlflowRun.start();
    }
    // a retried open() after a failure here logs the params again to the same run, never a new run
    mlflowRun.logMetadata(startedId, mlflowRun.paramsAndTags());
    runId = startedId;
  }

  @Override
  public void write(List<LogRecord> batch) throws Exception {
    int from = 0;
    List<LogRecord> rejected = new ArrayList<>();
    String rejection = null;
    while (from < batch.size()) {
      RunInfo of = batch.get(from).run();
      int to = from + 1;
      while (to < batch.size() && sameRun(batch.get(to).run(), of)) {
        to++;
      }
      if (from == 0 && to == batch.size()) {
        // one run, as nearly every batch is: its failure is the batch's
        writeRun(of, batch);
        return;
      }
      List<LogRecord> part = batch.subList(from, to);
      try {
        writeRun(of, part);
      } catch (BackendException e) {
        List<LogRecord> failed = e.failedRecords().isEmpty() ? part : e.failedRecords();
        if (e.retryable()) {
          List<LogRecord> unsent = new ArrayList<>(rejected);
          unsent.addAll(failed);
          unsent.addAll(batch.subList(to, batch.size()));
          throw new BackendException(e.getMessage(), e, true, unsent, e.retryAfter().orElse(null));
        }
        rejected.addAll(failed);
        rejection = rejection == null ? e.getMessage() : rejection;
      }
      from = to;
    }
    if (!rejected.isEmpty()) {
      throw new BackendException("MLflow permanently refused " + rejected.size() + " of " + batch.size()
          + " records: " + rejection, null, false, rejected);
    }
  }

  /** Whether records of {@code of} are this backend's run and rank (a resume of it carries an equal one). */
  private boolean isOwn(RunInfo of) {
    return !resending && sameRun(of, run);
  }

  private static boolean sameRun(RunInfo a, RunInfo b) {
    return a == b || a.rank() == b.rank() && a.runId().equals(b.runId());
  }

  /** Writes records of one run: this backend's own, or another's to that run's MLflow run. */
  private void writeRun(RunInfo of, List<LogRecord> records) throws Exception {
    if (isOwn(of)) {
      if (!active) {
        return;
      }
      if (runId == null) {
        throw new BackendException("the MLflow run is not open yet (open() has not succeeded)", true);
      }
      writeTo(runId, mapper, uploads, records);
      return;
    }
    if (!settings.allRanks && of.rank() != 0) {
      return; // that rank logs to no MLflow run
    }
    if (others == null) {
      throw new BackendException("the MLflow backend is not open yet (open() has not succeeded)", true);
    }
    OtherMlflowRuns.Target target;
    try {
      target = others.target(of);
    } catch (MlflowApiException e) {
      throw new BackendException("could not find or make the MLflow run of run " + of.runId() + " (rank " + of.rank()
          + "): " + e.getMessage(), e, e.retryable(), List.of(), e.retryAfter().orElse(null));
    }
    writeTo(target.id, target.mapper, target.uploads, records);
    if (target.id.equals(runId)) {
      return; // a run that resumed this backend's MLflow run by its id: it runs on, and this backend ends it
    }
    try {
      others.written(target, records);
    } catch (MlflowApiException e) {
      // the points are stored; sent again, MLflow keeps identical points once
      throw new BackendException("could not end MLflow run " + target.id + " of run " + of.runId() + ": "
          + e.getMessage(), e, e.retryable(), List.of(), e.retryAfter().orElse(null));
    }
  }

  /** A run whose records came from a journal its process left ends in MLflow as that process closed it. */
  @Override
  public void otherRunEnded(RunInfo of, RunStatus status, long endTimeMillis) throws Exception {
    if (isOwn(of) || others == null || !settings.allRanks && of.rank() != 0) {
      return;
    }
    try {
      others.ended(of, status, endTimeMillis, runId);
    } catch (MlflowApiException e) {
      throw new BackendException("could not end the MLflow run of run " + of.runId() + " " + status + ": "
          + e.getMessage(), e, e.retryable(), List.of(), e.retryAfter().orElse(null));
    }
  }

  /** Writes {@code batch} to MLflow run {@code runId}: its points, then its files. */
  private void writeTo(String runId, MetricMapper mapper, ArtifactUploads uploads, List<LogRecord> batch)
      throws Exception {
    List<LogBatchRequest> requests = BatchSplitter.split(mapper.map(batch));
    Set<LogRecord> rejected = new LinkedHashSet<>();
    String rejection = null;
    for (int i = 0; i < requests.size(); i++) {
      LogBatchRequest request = requests.get(i);
      try {
        send(request, runId);
      } catch (MlflowApiException e) {
        if (e.retryable() || e.errorCode() == null) {
          // unavailable (retryable) or unusable (auth, wrong URL): nothing from here on was stored
          Set<LogRecord> unsent = new LinkedHashSet<>(rejected);
          for (int j = i; j < requests.size(); j++) {
            unsent.addAll(requests.get(j).records());
          }
          throw new BackendException(e.getMessage(), e, e.retryable(), new ArrayList<>(unsent),
              e.retryAfter().orElse(null));
        }
        rejected.addAll(request.records());
        rejection = rejection == null ? e.getMessage() : rejection;
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      LogRecord r = batch.get(i);
      if (rejected.contains(r) || !MetricValues.hasFiles(r.metrics())) {
        continue;
      }
      try {
        uploads.upload(r, runId);
      } catch (MlflowApiException e) {
        if (e.retryable()) {
          // the points were stored; sent again with the files, MLflow keeps identical points once
          List<LogRecord> unsent = new ArrayList<>(rejected);
          for (int j = i; j < batch.size(); j++) {
            if (MetricValues.hasFiles(batch.get(j).metrics())) {
              unsent.add(batch.get(j));
            }
          }
          throw new BackendException(e.getMessage(), e, true, unsent, e.retryAfter().orElse(null));
        }
        rejected.add(r);
        rejection = rejection == null ? e.getMessage() : rejection;
      }
    }
    if (!rejected.isEmpty()) {
      throw new BackendException("MLflow permanently refused " + rejected.size() + " of " + batch.size()
          + " records: " + rejection, null, false, new ArrayList<>(rejected));
    }
  }

  private void send(LogBatchRequest request, String runId) throws MlflowApiException, InterruptedException {
    try {
      http.post("runs/log-batch", request.toJson(json, runId));
    } catch (MlflowApiException e) {
      if (!MlflowApiException.BAD_REQUEST.equals(e.errorCode()) || !request.hasNan()) {
        throw e;
      }
      resendAroundStoredNan(request, runId);
    }
  }

  /**
   * A SQL store refuses a whole request holding a NaN point it already has (its duplicate check
   * cannot match NaN). Finite points de-duplicate normally, so they go again together; each NaN point
   * then goes alone, and the same refusal means that point is stored.
   */
  private void resendAroundStoredNan(LogBatchRequest request, String runId)
      throws MlflowApiException, InterruptedException {
    LogBatchRequest finite = new LogBatchRequest();
    List<BatchItem> nans = new ArrayList<>();
    for (BatchItem item : request.items) {
      if (item.nan()) {
        nans.add(item);
      } else {
        finite.add(item);
      }
    }
    if (!finite.items.isEmpty()) {
      http.post("runs/log-batch", finite.toJson(json, runId));
    }
    for (BatchItem nan : nans) {
      LogBatchRequest single = new LogBatchRequest();
      single.add(nan);
      try {
        http.post("runs/log-batch", single.toJson(json, runId));
      } catch (MlflowApiException e) {
        if (!MlflowApiException.BAD_REQUEST.equals(e.errorCode())) {
          throw e;
        }
        LOG.debug("NaN point {} is already stored in run {}", nan.json(), runId);
      }
    }
  }

  /**
   * Logs the last texts (with {@code text: tag-at-end}) and sets the final status. A retryable
   * failure leaves the backend open, so that the same call can be tried again; once it succeeded,
   * further calls do nothing.
   */
  @Override
  public void close(RunStatus status) throws Exception {
    if (closed) {
      return;
    }
    if (others != null) {
      try {
        others.close();
      } catch (MlflowApiException e) {
        closed = !e.retryable();
        throw new BackendException("could not tag the MLflow runs of other runs: " + e.getMessage(), e,
            e.retryable(), List.of(), e.retryAfter().orElse(null));
      }
    }
    if (!active || runId == null) {
      closed = true;
      return;
    }
    if (mapper.skippedTexts() > 0 && !textsReported) {
      textsReported = true;
      LOG.info("MLflow run {}: {} text values were skipped", runId, mapper.skippedTexts());
    }
    try {
      if (!mapper.lastTexts().isEmpty()) {
        mlflowRun.logMetadata(runId, mlflowRun.tags(mapper.lastTexts()));
      }
      mlflowRun.finish(runId, status, clock.millis());
    } catch (MlflowApiException e) {
      closed = !e.retryable();
      throw new BackendException("could not mark MLflow run " + runId + " " + status + ": " + e.getMessage(), e,
          e.retryable(), List.of(), e.retryAfter().orElse(null));
    }
    closed = true;
  }

  @Override
  public String toString() {
    return "MlflowBackend{" + settings + ", run=" + runId + "}";
  }
}
