package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest sequence and step a run id and rank reached, kept in a small file beside the journals
 * ({@code <journal-dir>/.sequences/<run-id>-rank<r>}) so that a run resumed with its id after its
 * journal was delivered and deleted goes on numbering after its last record instead of at 0.
 */
public final class RunHighWater {

  private static final Logger log = LoggerFactory.getLogger(RunHighWater.class);
  /** The directory under a journal root that holds these files. */
  public static final String DIRECTORY = ".sequences";

  private final Path file;

  private RunHighWater(Path file) {
    this.file = file;
  }

  /** The file of the journal directory {@code journalDir} (named after it, under its parent). */
  public static RunHighWater of(Path journalDir) {
    Path abs = journalDir.toAbsolutePath().normalize();
    return new RunHighWater(abs.getParent().resolve(DIRECTORY).resolve(abs.getFileName().toString()));
  }

  /** Lets {@code journal} continue after what this file says; a missing file says nothing, an unreadable one warns. */
  public void applyTo(Journal journal) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn("Cannot read {} ({}); sequences of this run go on from its journal alone", file, e.toString());
      return;
    }
    try {
      String[] parts = text.trim().split("\\s+");
      journal.continueAfter(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      log.warn("{} is damaged ('{}'); sequences of this run go on from its journal alone", file, text.trim());
    }
  }

  /** Records what {@code journal} reached; written whole or not at all. */
  public void save(Journal journal) {
    long seq = journal.lastSequence();
    if (seq < 0) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, seq + " " + journal.highestStep() + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("Cannot write {} ({}); a run resumed with this id after its journal is deleted may reuse sequence"
          + " numbers", file, e.toString());
    }
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
