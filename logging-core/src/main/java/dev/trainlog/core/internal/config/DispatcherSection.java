package dev.trainlog.core.internal.config;

import dev.trainlog.core.spec.DispatcherDefaults;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.StepRegressionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code dispatcher:} section: the journal, where refused records go, and how the dispatcher shuts down. */
public final class DispatcherSection {

  private static final Logger log = LoggerFactory.getLogger(DispatcherSection.class);

  static final List<String> KEYS = List.of("journal-dir", "durability", "fsync-interval", "journal", "spool-dir",
      "dead-letter-dir", "shutdown-hook", "on-step-regression", "close-timeout", "max-image-size");
  static final List<String> JOURNAL_KEYS = List.of("max-size", "on-full", "segment-size");

  private static final DispatcherSection DEFAULTS = new DispatcherSection(DispatcherDefaults.JOURNAL_DIR,
      DispatcherDefaults.DURABILITY, DispatcherDefaults.FSYNC_INTERVAL, DispatcherDefaults.JOURNAL_MAX_SIZE,
      DispatcherDefaults.ON_FULL, DispatcherDefaults.SEGMENT_SIZE, DispatcherDefaults.DEAD_LETTER_DIR,
      DispatcherDefaults.SHUTDOWN_HOOK, DispatcherDefaults.ON_STEP_REGRESSION, DispatcherDefaults.CLOSE_TIMEOUT);

  private final Path journalDir;
  private final Durability durability;
  private final Duration fsyncInterval;
  private final long journalMaxSize;
  private final OnFull onFull;
  private final int segmentSize;
  private final Path deadLetterDir;
  private final boolean shutdownHook;
  private final StepRegressionPolicy onStepRegression;
  private final Duration closeTimeout;
  private final long maxImageSize;

  public DispatcherSection(Path journalDir, Durability durability, Duration fsyncInterval, long journalMaxSize,
      OnFull onFull, int segmentSize, Path deadLetterDir, boolean shutdownHook, StepRegressionPolicy onStepRegression,
      Duration closeTimeout) {
    this(journalDir, durability, fsyncInterval, journalMaxSize, onFull, segmentSize, deadLetterDir, shutdownHook,
        onStepRegression, closeTimeout, DispatcherDefaults.MAX_IMAGE_SIZE);
  }

  public DispatcherSection(Path journalDir, Durability durability, Duration fsyncInterval, long journalMaxSize,
      OnFull onFull, int segmentSize, Path deadLetterDir, boolean shutdownHook, StepRegressionPolicy onStepRegression,
      Duration closeTimeout, long maxImageSize) {
    this.maxImageSize = maxImageSize;
    this.journalDir = Objects.requireNonNull(journalDir, "journalDir");
    this.durability = Objects.requireNonNull(durability, "durability");
    this.fsyncInterval = Objects.requireNonNull(fsyncInterval, "fsyncInterval");
    this.journalMaxSize = journalMaxSize;
    this.onFull = Objects.requireNonNull(onFull, "onFull");
    this.segmentSize = segmentSize;
    this.deadLetterDir = Objects.requireNonNull(deadLetterDir, "deadLetterDir");
    this.shutdownHook = shutdownHook;
    this.onStepRegression = Objects.requireNonNull(onStepRegression, "onStepRegression");
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
  }

  /** Every setting at its default. */
  public static DispatcherSection defaults() {
    return DEFAULTS;
  }

  static DispatcherSection read(SectionReader r) {
    r.rejectUnknown(KEYS);
    String journalDir = r.text("journal-dir", null);
    if (r.has("spool-dir")) {
      log.warn("`{}` is deprecated: records now go to a journal first; set dispatcher.journal-dir instead{}",
          r.key("spool-dir"), journalDir == null ? " (taken as journal-dir this time)" : " (ignored)");
      if (journalDir == null) {
        journalDir = r.text("spool-dir", null);
      }
    }
    SectionReader journal = r.section("journal");
    journal.rejectUnknown(JOURNAL_KEYS);
    long segment = journal.size("segment-size", DispatcherDefaults.SEGMENT_SIZE);
    if (segment > Integer.MAX_VALUE - 8 || segment < 4096) {
      journal.invalid("segment-size", "between 4KiB and 2047MiB");
      segment = DispatcherDefaults.SEGMENT_SIZE;
    }
    long maxSize = journal.size("max-size", DispatcherDefaults.JOURNAL_MAX_SIZE);
    if (maxSize < 2 * segment) {
      // the journal keeps at least the segment being written and the one before it
      journal.invalid("max-size", "at least twice dispatcher.journal.segment-size (" + segment + " bytes), that is "
          + 2 * segment + " bytes or more; or lower dispatcher.journal.segment-size");
    }
    return new DispatcherSection(
        journalDir == null ? DispatcherDefaults.JOURNAL_DIR : Path.of(journalDir),
        r.oneOf("durability", DispatcherDefaults.DURABILITY,
            v -> YamlNames.parse(Durability.class, Durability::yamlName, v),
            YamlNames.spellings(Durability.class, Durability::yamlName)),
        r.positiveDuration("fsync-interval", DispatcherDefaults.FSYNC_INTERVAL),
        maxSize,
        journal.oneOf("on-full", DispatcherDefaults.ON_FULL, OnFull::fromYaml, List.of("drop-oldest", "block")),
        (int) segment,
        Path.of(r.text("dead-letter-dir", DispatcherDefaults.DEAD_LETTER_DIR.toString())),
        r.bool("shutdown-hook", DispatcherDefaults.SHUTDOWN_HOOK),
        r.oneOf("on-step-regression", DispatcherDefaults.ON_STEP_REGRESSION, StepRegressionPolicy::fromYaml,
            YamlNames.spellings(StepRegressionPolicy.class, StepRegressionPolicy::yamlName)),
        r.positiveDuration("close-timeout", DispatcherDefaults.CLOSE_TIMEOUT),
        r.size("max-image-size", DispatcherDefaults.MAX_IMAGE_SIZE));
  }

  public Path journalDir() {
    return journalDir;
  }

  public Durability durability() {
    return durability;
  }

  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  public long journalMaxSize() {
    return journalMaxSize;
  }

  public OnFull onFull() {
    return onFull;
  }

  public int segmentSize() {
    return segmentSize;
  }

  public Path deadLetterDir() {
    return deadLetterDir;
  }

  public boolean shutdownHook() {
    return shutdownHook;
  }

  public StepRegressionPolicy onStepRegression() {
    return onStepRegression;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** {@code max-image-size}: the largest image accepted, in bytes. */
  public long maxImageSize() {
    return maxImageSize;
  }

  @Override
  public String toString() {
    return "DispatcherSection{journal-dir=" + journalDir + ", durability=" + durability.yamlName()
        + (durability == Durability.FSYNC ? ", fsync-interval=" + Durations.format(fsyncInterval) : "")
        + ", journal.max-size=" + journalMaxSize + ", journal.on-full=" + onFull.yamlName() + ", dead-letter-dir="
        + deadLetterDir + ", shutdown-hook=" + shutdownHook + ", on-step-regression=" + onStepRegression.yamlName()
        + ", close-timeout=" + Durations.format(closeTimeout) + ", max-image-size=" + maxImageSize + "}";
  }
}
