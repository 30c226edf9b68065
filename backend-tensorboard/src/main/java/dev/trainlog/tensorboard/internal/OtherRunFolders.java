package dev.trainlog.tensorboard.internal;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders of the runs other than the backend's own whose records it is handed (the journal a process that
 * is gone left behind, a resend): each run and rank is written by a writer of its own to the folder the backend
 * would have used for it, as a resume of that run. At most {@value #MAX_OPEN_WRITERS} are open at once; the
 * one used least recently is closed first.
 */
final class OtherRunFolders {

  private static final Logger LOG = LoggerFactory.getLogger(OtherRunFolders.class);

  /** Most writers of other runs open at once, each holding an event file: {@value}. */
  static final int MAX_OPEN_WRITERS = 4;

  private final TensorBoardConfig config;
  private final Clock clock;
  private final EventFile.Opener opener;
  /** The role of the writers: {@code GONE_RUN} ends each run killed, {@code OTHER_RUN} (a resend) does not. */
  private final TensorBoardBackend.Role role;
  /** By run id and rank, in the order used, the least recently used first. */
  private final LinkedHashMap<String, TensorBoardBackend> open = new LinkedHashMap<>(8, 0.75f, true);
  /** The folder of each run written here, by run id and rank: said once, and where a run's end is told. */
  private final Map<String, java.nio.file.Path> folders = new HashMap<>();

  OtherRunFolders(TensorBoardConfig config, Clock clock, EventFile.Opener opener, TensorBoardBackend.Role role) {
    this.role = role;
    this.config = config;
    this.clock = clock;
    this.opener = opener;
  }

  /** Writes {@code records}, all of one run and rank, to that run's folder. */
  void write(List<LogRecord> records) throws BackendException {
    RunInfo run = records.get(0).run();
    String key = run.runId() + "/" + run.rank();
    TensorBoardBackend writer = open.get(key);
    if (writer == null) {
      writer = new TensorBoardBackend(run, config, clock, opener, role);
      writer.open();
      if (folders.put(key, writer.runDirectory()) == null) {
        LOG.info("Records of run {} (rank {}) go to its own TensorBoard folder {}", run.runId(), run.rank(),
            writer.runDirectory());
      }
      open.put(key, writer);
      closeBeyond(MAX_OPEN_WRITERS);
    }
    writer.write(records);
  }

  /**
   * How {@code run}'s process closed it, told once its records are written: its writer closes (ending it {@code
   * KILLED} where the folder has no end), and that end is rewritten with {@code status}.
   */
  void ended(RunInfo run, RunStatus status, long endTimeMillis) throws BackendException {
    String key = run.runId() + "/" + run.rank();
    TensorBoardBackend writer = open.remove(key);
    if (writer != null) {
      writer.close(RunStatus.KILLED);
    }
    java.nio.file.Path folder = folders.get(key);
    if (folder == null || role != TensorBoardBackend.Role.GONE_RUN || !config.hparams()) {
      return; // none of its records came here, or a resend, which ends no run
    }
    try {
      if (SessionEnds.retell(opener, folder, status, endTimeMillis / 1000.0) > 0) {
        LOG.info("Run {} (rank {}) ended {} in its TensorBoard HParams session ({}), as its process closed it",
            run.runId(), run.rank(), status, folder);
      }
    } catch (java.io.IOException e) {
      throw new BackendException("could not write how run " + run.runId() + " ended in " + folder + ": " + e, e,
          true, List.of());
    }
  }

  /** Hands every open writer's events to the operating system. */
  void flush() throws BackendException {
    for (TensorBoardBackend writer : open.values()) {
      writer.flush();
    }
  }

  /**
   * Closes every writer. Each batch was handed to the operating system when it was written, so a writer that
   * cannot close loses nothing written: it is warned about, not thrown.
   */
  void close() {
    closeBeyond(0);
  }

  private void closeBeyond(int keep) {
    Iterator<Map.Entry<String, TensorBoardBackend>> it = open.entrySet().iterator();
    List<TensorBoardBackend> closing = new ArrayList<>();
    for (int n = open.size(); n > keep; n--) {
      closing.add(it.next().getValue());
      it.remove();
    }
    for (TensorBoardBackend writer : closing) {
      try {
        // the status is not used: a gone run's writer ends it killed, a resent run's does not end it
        writer.close(RunStatus.KILLED);
      } catch (BackendException e) {
        LOG.warn("Could not close the TensorBoard events of another run in {}: {}", writer.runDirectory(),
            e.getMessage());
      }
    }
  }

  /** The writers open now, for tests. */
  Map<String, TensorBoardBackend> openWriters() {
    return open;
  }
}
