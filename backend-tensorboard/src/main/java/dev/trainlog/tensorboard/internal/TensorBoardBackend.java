package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one rank of a run as TensorBoard event files, one event per record, encoded field by field ({@link
 * EventEncoder}) straight into the file's buffer. One file is appended to at a time; after an I/O failure the next
 * write starts a new file. Every batch is handed to the operating system before {@code write} returns, so a failure only
 * ever concerns the batch being written, which the core retries.
 *
 * <p>Each session (each time the backend is opened) begins with a SessionLog START at its first step,
 * and so does a retried batch whose step goes back. TensorBoard treats a run's first START as the
 * start of training and every later one as a restart that hides the points at and after its step,
 * which is how a resumed run replaces what it logged past its checkpoint.
 *
 * <p>Records of another run (the journal a process that is gone left behind, a resend) go to that run's own
 * folder through {@link OtherRunFolders}, never to this run's. A resending backend ({@code trainlog resend})
 * has no folder of its own: every record goes to the run it carries.
 */
final class TensorBoardBackend implements LogBackend {

  private static final Logger LOG = LoggerFactory.getLogger(TensorBoardBackend.class);

  /** The tag of the config table text summary. */
  static final String CONFIG_TAG = "config";

  private final RunInfo run;
  private final TensorBoardConfig config;
  private final Path logDir;
  /** The run's folder: {@code <experiment>/<run>}, or {@code <run>-2} ... once {@link #open} found it another run's. */
  private Path runDir;
  /** The HParams session's group: the run's name in TensorBoard, so the HParams rows read as the Scalars runs. */
  private String groupName;
  private final Clock clock;
  private final EventFile.Opener opener;
  private final Map<String, Object> flatConfig;
  /** What it writes: its run, only resent records' runs, or one other run's (resent, or gone: ended as killed). */
  enum Role { RUN, RESEND, OTHER_RUN, GONE_RUN }

  private final Role role;
  /** Where records of other runs go; null in a writer of such a run. */
  private final OtherRunFolders others;

  private final EventEncoder encoder = new EventEncoder();
  private final HParamsEncoder hparams = new HParamsEncoder();

  private EventFile file;
  /** The buffer of {@link #file}, which events are encoded into. */
  private ProtoBuffer out;
  private String newestFile;
  private boolean runDirHadEvents;
  private boolean preambleWritten;
  private long preambleStep;
  private long lastStep = Long.MIN_VALUE;
  /** The time of the newest record written, the end time of a {@link Role#GONE_RUN}. */
  private long lastRecordMillis = Long.MIN_VALUE;
  private boolean closed;

  TensorBoardBackend(RunInfo run, TensorBoardConfig config, Clock clock, EventFile.Opener opener) {
    this(run, config, clock, opener, Role.RUN);
  }

  /**
   * As {@link Role#OTHER_RUN} or {@link Role#GONE_RUN}, a writer of a run whose records arrive after its
   * process is gone: it resumes that run's folder. At close a resent run's writer ends no HParams session, since
   * how that run ended is not known; a gone run's ends it {@code KILLED} where the folder has no end yet.
   */
  TensorBoardBackend(RunInfo run, TensorBoardConfig config, Clock clock, EventFile.Opener opener, Role role) {
    this.run = run;
    this.role = role;
    this.others = otherRun() ? null
        : new OtherRunFolders(config, clock, opener, role == Role.RESEND ? Role.OTHER_RUN : Role.GONE_RUN);
    this.config = config;
    this.clock = clock;
    this.opener = opener;
    this.logDir = Path.of(config.logDir());
    this.runDir = RunLayout.runDirectory(logDir, run, config.rankSubdirs());
    this.groupName = RunLayout.tensorBoardRunName(run, config.rankSubdirs());
    this.flatConfig = MetricValues.flatten(run.config(), "/");
  }

  /** The folder this rank's event files go to. */
  Path runDirectory() {
    return runDir;
  }

  /** The writers of other runs' folders; null in such a writer. */
  OtherRunFolders otherRunFolders() {
    return others;
  }

  /** Whether the start message about artifacts was given: once per backend, not per reopen. */
  private boolean saidArtifacts;

  @Override
  public void open() throws BackendException {
    if (!saidArtifacts && !otherRun()) {
      saidArtifacts = true;
      LOG.info("TensorBoard backend writes images to {} as image summaries; artifacts (files) are not TensorBoard's"
          + " business and are skipped", logDir);
    }
    if (role == Role.RESEND) {
      return;
    }
    try {
      claimRunFolder();
      if (role == Role.RUN) {
        SessionEnds.takeBackAll(runDir, run.runId());
      }
      newestFile = RunLayout.newestEventFile(runDir);
      runDirHadEvents = newestFile != null;
      startFile();
    } catch (IOException e) {
      throw failure("open", e);
    }
  }

  /** Whether this backend writes a run other than the one it was made for. */
  private boolean otherRun() {
    return role == Role.OTHER_RUN || role == Role.GONE_RUN;
  }

  /** Takes a folder of its own when the run's name is another run's; a resume of this run id keeps its folder. */
  private void claimRunFolder() throws IOException {
    Path base = RunLayout.runDirectory(logDir, run, false);
    Path claimed = RunFolder.claim(base, run.runId());
    if (!claimed.equals(base)) {
      LOG.info("TensorBoard folder {} holds another run's events; run {} writes to {}", base, run.runId(), claimed);
      runDir = config.rankSubdirs() && run.rank() > 0 ? claimed.resolve(runDir.getFileName()) : claimed;
      groupName = logDir.relativize(runDir).toString().replace('\\', '/');
    }
  }

  @Override
  public void write(List<LogRecord> records) throws BackendException {
    int from = 0;
    while (from < records.size()) {
      RunInfo of = records.get(from).run();
      int to = from + 1;
      while (to < records.size() && sameRun(records.get(to).run(), of)) {
        to++;
      }
      List<LogRecord> part = from == 0 && to == records.size() ? records : records.subList(from, to);
      if (isOwn(of)) {
        writeOwn(part);
      } else {
        others.write(part);
      }
      from = to;
    }
  }

  /** Whether records of {@code of} are this backend's run and rank (a resume of it carries an equal one). */
  private boolean isOwn(RunInfo of) {
    return otherRun() || role == Role.RUN && sameRun(of, run);
  }

  private static boolean sameRun(RunInfo a, RunInfo b) {
    return a == b || a.rank() == b.rank() && a.runId().equals(b.runId());
  }

  private void writeOwn(List<LogRecord> records) throws BackendException {
    try {
      if (file == null) {
        startFile();
      }
      for (LogRecord record : records) {
        long step = record.step();
        double wallTime = record.timestampMillis() / 1000.0;
        beforeRecord(step, wallTime);
        encodeRecord(record.metrics(), wallTime, step);
        lastStep = step;
      }
      lastRecordMillis = Math.max(lastRecordMillis, records.get(records.size() - 1).timestampMillis());
      // a batch that returned is with the OS, so a later failure can only concern the batch it hits
      file.flush();
    } catch (IOException e) {
      throw failure("write", e);
    }
  }

  @Override
  public void flush() throws BackendException {
    if (others != null) {
      others.flush();
    }
    try {
      if (file != null) {
        file.flush();
      }
    } catch (IOException e) {
      throw failure("flush", e);
    }
  }

  /** A gone run whose process said how it closed it ends so in its folder, not {@code KILLED}. */
  @Override
  public void otherRunEnded(RunInfo of, RunStatus status, long endTimeMillis) throws BackendException {
    if (others != null) {
      others.ended(of, status, endTimeMillis);
    }
  }

  @Override
  public void close(RunStatus status) throws BackendException {
    if (closed) {
      return;
    }
    if (others != null) {
      others.close();
    }
    if (role == Role.RESEND) {
      closed = true;
      return;
    }
    try {
      if (file == null) {
        startFile();
      }
      double now = nowSecs();
      if (!preambleWritten) {
        // no START here: at step 0 it would hide everything an earlier session of this run logged
        writePreamble(0, now);
      }
      if (config.hparams() && role == Role.RUN) {
        // a journal of this run's earlier process may have been delivered meanwhile by another process
        SessionEnds.takeBackKilled(runDir, run.runId());
        file.beginRecord();
        int summary = encoder.beginSummaryEvent(out, now, Math.max(lastStep, preambleStep));
        hparams.sessionEndValue(out, status, now);
        encoder.endSummaryEvent(out, summary);
        file.endRecord();
      }
      file.close();
      file = null;
      out = null;
      if (config.hparams() && role == Role.GONE_RUN && !SessionEnds.anyIn(runDir)) {
        writeKilledEnd();
      }
      closed = true;
    } catch (IOException e) {
      throw failure("close", e);
    }
  }

  /** Ends a gone run's session {@code KILLED} at its newest record (see {@link SessionEnds}). */
  private void writeKilledEnd() throws IOException {
    double endSecs = (lastRecordMillis == Long.MIN_VALUE ? clock.millis() : lastRecordMillis) / 1000.0;
    String name = RunLayout.nextFileName(clock.millis() / 1000, run.node(), newestFile) + SessionEnds.KILLED_SUFFIX;
    SessionEnds.writeKilled(opener, runDir.resolve(name), endSecs, Math.max(lastStep, preambleStep));
    newestFile = name;
    LOG.info("Run {} (rank {}) ended KILLED in its TensorBoard HParams session ({}): its process is gone",
        run.runId(), run.rank(), runDir);
  }

  /** Writes what must precede a record: START and config on first use, a START when the step went back. */
  private void beforeRecord(long step, double wallTime) throws IOException {
    if (preambleWritten && step >= lastStep) {
      return;
    }
    startOrRestart(step, wallTime);
  }

  // kept out of beforeRecord, which runs per record and should stay small enough to inline
  private void startOrRestart(long step, double wallTime) throws IOException {
    if (!preambleWritten) {
      if (runDirHadEvents) {
        LOG.info("Continuing TensorBoard run {} at step {}: earlier points from this step on are hidden", runDir, step);
      }
      sessionStart(step, wallTime);
      writePreamble(step, wallTime);
    } else {
      LOG.debug("Step {} after {} in {}: hiding the later points with a SessionLog START", step, lastStep, runDir);
      sessionStart(step, wallTime);
      if (step <= preambleStep) {
        // the START hides the config written at or after its step, so write it again
        writePreamble(step, wallTime);
      }
    }
  }

  private void sessionStart(long step, double wallTime) throws IOException {
    file.beginRecord();
    encoder.sessionStartEvent(out, wallTime, step);
    file.endRecord();
  }

  private void writePreamble(long step, double wallTime) throws IOException {
    preambleWritten = true;
    preambleStep = step;
    if (!run.provenance().isEmpty()) {
      // at step 0 whatever step the run begins at: it describes the run, not a step
      file.beginRecord();
      int at = encoder.beginSummaryEvent(out, wallTime, 0);
      encoder.textValue(out, ProvenanceText.TAG, ProvenanceText.markdown(run.provenance()));
      encoder.endSummaryEvent(out, at);
      file.endRecord();
    }
    if (!config.hparams() && !config.configText()) {
      return;
    }
    file.beginRecord();
    int summary = encoder.beginSummaryEvent(out, wallTime, step);
    if (config.hparams()) {
      hparams.sessionStartValue(out, flatConfig, groupName, run.startTimeMillis() / 1000.0);
    }
    if (config.configText()) {
      encoder.textValue(out, CONFIG_TAG, ConfigTable.markdown(flatConfig));
    }
    encoder.endSummaryEvent(out, summary);
    file.endRecord();
  }

  /** Encodes a record as one event, field by field. */
  private void encodeRecord(Map<String, Object> metrics, double wallTime, long step) throws IOException {
    file.beginRecord();
    int summary = encoder.beginSummaryEvent(out, wallTime, step);
    // a reference made here, not a field: where the JIT inlines forEach here, it sees which consumer
    // forEach calls and inlines that too, where a field's consumer would share forEach's call site with
    // every other caller in the process (a virtual call per metric)
    metrics.forEach(this::writeValue);
    encoder.endSummaryEvent(out, summary);
    file.endRecord();
  }

  /** One metric as summary values; nested maps become {@code a/b} tags. */
  private void writeValue(String key, Object value) {
    switch (MetricValues.kindOf(value)) {
      case SCALAR -> encoder.scalarValue(out, key, (Double) value);
      case VECTOR -> {
        double[] vector = (double[]) value;
        encoder.histogramValue(out, key, vector);
        if (config.vectorElementsAsScalars()) {
          for (int i = 0; i < vector.length; i++) {
            encoder.scalarValue(out, key + "/" + i, vector[i]);
          }
        }
      }
      case TEXT -> encoder.textValue(out, key, (String) value);
      case IMAGE -> {
        Images images = (Images) value;
        for (int i = 0; i < images.size(); i++) {
          Image image = images.get(i);
          byte[] bytes = image.bytes();
          // one image keeps its key; a grid's cells are key/0, key/1, ... as TensorFlow's image summaries name them
          String tag = images.size() == 1 ? key : key + "/" + i;
          encoder.imageValue(out, tag, image.width(), image.height(), Colorspace.of(bytes), bytes);
        }
      }
      case ARTIFACT -> { } // not TensorBoard's business: said once at open
      // rare: the shared flattener joins the nested keys
      case NESTED -> MetricValues.flatten(Map.of(key, value), "/", this::writeValue);
    }
  }

  private void startFile() throws IOException {
    Files.createDirectories(runDir);
    String name = RunLayout.nextFileName(clock.millis() / 1000, run.node(), newestFile);
    EventFile next = EventFile.create(opener, runDir.resolve(name));
    newestFile = name;
    file = next;
    out = next.buffer();
    file.beginRecord();
    encoder.fileVersionEvent(out, nowSecs());
    file.endRecord();
  }

  private double nowSecs() {
    return clock.millis() / 1000.0;
  }

  /** Any I/O failure may pass (a full disk, a lost mount): drop the file and start a new one next time. */
  private BackendException failure(String action, IOException e) {
    if (file != null) {
      file.abandon();
      file = null;
      out = null;
    }
    return new BackendException(
        "TensorBoard backend could not " + action + " event files in " + runDir + ": " + e, e, true);
  }
}
