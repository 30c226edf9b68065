package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.journal.Journal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a dispatcher closes: every backend's reader closes in parallel against one deadline, the watchdog
 * stops, the journals are released, and the outcome is said once (in the log, and on standard error when
 * SLF4J has no binding): everything delivered, records a backend refused for good, or records left in the
 * journal for the next start.
 */
public final class Shutdown {

  private static final Logger log = LoggerFactory.getLogger("dev.trainlog.core.LogDispatcher");

  private final RunInfo run;
  private final List<BackendChannel> channels;
  private final Journals journals;
  private final Watchdog watchdog;
  /** The YAML file the dispatcher was configured by, for the resend command; null when there is none. */
  private final Path configFile;

  /**
   * {@code journals} and {@code watchdog} are null for a dispatcher without backends; {@code configFile} is
   * null for one not configured by a YAML file.
   */
  public Shutdown(RunInfo run, List<BackendChannel> channels, Journals journals, Watchdog watchdog, Path configFile) {
    this.run = run;
    this.channels = List.copyOf(channels);
    this.journals = journals;
    this.watchdog = watchdog;
    this.configFile = configFile;
  }

  /**
   * Closes every backend with {@code status} by {@code deadlineNanos} (of {@link System#nanoTime}), the
   * samplers' remainders numbered {@code closeSequence}; returns whether the journal is delivered and every
   * backend's close returned (the run's end status reached each store).
   */
  public boolean close(RunStatus status, long deadlineNanos, long closeSequence) {
    closeChannels(status, deadlineNanos, closeSequence);
    // what the workers did, not whether their closing threads came back in time (on a starved machine they may not)
    boolean all = true;
    for (BackendChannel c : channels) {
      all &= c.delivered();
    }
    String unclosed = unclosed(status);
    if (watchdog != null) {
      watchdog.stop();
    }
    String kept = journals == null ? "" : journals.close(all, !unclosed.isEmpty());
    if (journals != null && journals.keptForTheEnd()) {
      unclosed += "; the journal " + journals.own().directory() + " is kept with that status, and a dispatcher"
          + " started later with the same journal-dir records it there";
    }
    boolean delivered = all && kept.isEmpty();
    report(status, delivered, kept, unclosed);
    return delivered && unclosed.isEmpty();
  }

  /** Each backend closes on its own thread, waiting for its own reader against the same deadline. */
  private void closeChannels(RunStatus status, long deadlineNanos, long closeSequence) {
    List<Thread> closers = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      BackendChannel channel = channels.get(i);
      Thread t = new Thread(() -> channel.close(status, deadlineNanos, closeSequence), "trainlog-close-" + i);
      t.setDaemon(true); // never what keeps the JVM from exiting
      closers.add(t);
      t.start();
    }
    long giveUp = deadlineNanos + TimeUnit.MILLISECONDS.toNanos(BackendChannel.CLOSE_GRACE_MILLIS + 1000);
    for (Thread t : closers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The backends that wrote everything but whose close did not return (stuck past the close timeout and its grace,
   * or failed): the run's end status may not be in their stores. Empty when none.
   */
  private String unclosed(RunStatus status) {
    List<String> parts = new ArrayList<>();
    for (BackendChannel c : channels) {
      if (c.delivered() && !c.closed()) {
        parts.add(c.name() + "'s close did not return within the close timeout and its grace (or failed), so the"
            + " run's end status (" + status + ") may not have been recorded in its store");
      }
    }
    return String.join("; ", parts);
  }

  private void report(RunStatus status, boolean delivered, String kept, String unclosed) {
    String refused = refusedForGood();
    String givenUp = join(givenUp(), unclosed); // what a backend is missing, records or the end status
    if (delivered && refused.isEmpty() && givenUp.isEmpty()) {
      log.info("TrainLog dispatcher for {}/{} closed ({}): everything delivered", run.experiment(), run.runName(),
          status);
    } else if (delivered) {
      String what = join(refused, givenUp);
      log.warn("TrainLog dispatcher for {}/{} closed ({}): the journal is delivered, but {}{}", run.experiment(),
          run.runName(), status, what, refused.isEmpty() ? "" : "; once the cause is fixed, run: " + resendCommands());
      Unheard.say("close:" + run.runId(), "TrainLog closed run " + run.runName() + ": " + what);
    } else {
      Journal journal = journals.own();
      String what = join(join(kept.isEmpty() ? "some records were not delivered" : kept, refused), givenUp);
      log.warn("TrainLog dispatcher for {}/{} closed ({}): {}; a dispatcher started with the same journal-dir"
          + " delivers them first, or run: {}", run.experiment(), run.runName(), status, what,
          journalResendCommands(journal.directory()));
      Unheard.say("close:" + run.runId(), "TrainLog closed run " + run.runName() + " with records not delivered: "
          + join(join(kept.isEmpty() ? "see the journal" : kept, refused), givenUp));
    }
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  /** Which backends never got some records (the journal was full under on-full: drop-oldest, or damaged); empty when none. */
  private String givenUp() {
    List<String> parts = new ArrayList<>();
    for (BackendChannel c : channels) {
      long dropped = c.stats().dropped();
      if (dropped > 0) {
        parts.add(c.name() + " never got " + dropped + " record(s) (given up past dispatcher.journal.max-size under"
            + " on-full: drop-oldest, or lost to damage; see the warnings)");
      }
    }
    return String.join("; ", parts);
  }

  /** The {@code trainlog resend} of the journal left for each backend that has not read it all. */
  private String journalResendCommands(Path journalDir) {
    List<String> commands = new ArrayList<>();
    // the cursors, not the workers' stats: a worker stopped with a batch it could not write counts it as read
    for (String name : journals.keptFor()) {
      commands.add(resendCommand(journalDir, ShellWords.quote(name)));
    }
    return commands.isEmpty() ? resendCommand(journalDir, "<name>") : String.join(" and ", commands);
  }

  /** {@code trainlog resend} of {@code dir} to the backend {@code backendWord} (quoted for the shell already). */
  private String resendCommand(Path dir, String backendWord) {
    return "trainlog resend " + ShellWords.quote(dir.toString()) + " --config "
        + (configFile == null ? "<yaml>" : ShellWords.quote(configFile.toString())) + " --backend " + backendWord;
  }

  /** The {@code trainlog resend} of each backend's dead letters, with its directory, the YAML file and its name. */
  private String resendCommands() {
    List<String> commands = new ArrayList<>();
    for (BackendChannel c : channels) {
      if (c.stats().failed() > 0) {
        commands.add(resendCommand(c.deadLetterDirectory(), ShellWords.quote(c.name())));
      }
    }
    return String.join(" and ", commands);
  }

  /** Which backends refused records for good during this run, how many and where they are kept; empty when none. */
  private String refusedForGood() {
    List<String> parts = new ArrayList<>();
    for (BackendChannel c : channels) {
      long failed = c.stats().failed();
      if (failed > 0) {
        parts.add(c.name() + " refused " + failed + " record(s), kept in " + c.deadLetterDirectory());
      }
    }
    return String.join("; ", parts);
  }
}
