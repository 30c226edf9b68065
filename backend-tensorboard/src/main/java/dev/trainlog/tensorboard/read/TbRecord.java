package dev.trainlog.tensorboard.read;

import dev.trainlog.api.Image;
import java.util.Collections;
import java.util.Map;

/**
 * One event read from an event file, at bytes {@code [offset, endOffset)} of it: a reader reopened at
 * {@code endOffset} goes on with the next record. Holds the event's wall time (seconds) and step, and
 * the summary values of the kinds this package reads, by tag in the order written:
 *
 * <ul>
 *   <li>{@code scalars}: {@code simple_value} and rank-0 tensors of the {@code scalars} plugin;
 *   <li>{@code histograms}: {@code HistogramProto} and [k,3] tensors of the {@code histograms} plugin;
 *   <li>{@code texts}: string tensors of the {@code text} plugin (several strings joined by newlines);
 *   <li>{@code images}: {@code Summary.Image} values holding PNG or JPEG bytes (others are counted as skipped
 *       {@code image});
 *   <li>{@code sessionStart} and {@code sessionEndStatus} ({@code SUCCESS}, {@code FAILURE}, {@code
 *       RUNNING} or {@code UNKNOWN}) of the HParams plugin, or null.
 * </ul>
 *
 * <p>{@code fileVersion} is set on a file's first event, {@code sessionLog} ({@code START}, {@code
 * STOP}, {@code CHECKPOINT}) on a SessionLog event. {@code skipped} counts this event's values of
 * other kinds by plugin name or value kind ({@code images}, {@code image}, {@code audio}, ...), and
 * {@code crcErrors} the damaged stretches skipped just before it.
 */
public record TbRecord(
    long offset,
    long endOffset,
    double wallTime,
    long step,
    String fileVersion,
    String sessionLog,
    Map<String, Double> scalars,
    Map<String, TbHistogram> histograms,
    Map<String, String> texts,
    Map<String, Image> images,
    TbSessionStart sessionStart,
    String sessionEndStatus,
    Map<String, Integer> skipped,
    int crcErrors) {

  /** Wraps the maps read-only; the reader hands over maps it no longer touches. */
  public TbRecord {
    scalars = Collections.unmodifiableMap(scalars);
    histograms = Collections.unmodifiableMap(histograms);
    texts = Collections.unmodifiableMap(texts);
    images = Collections.unmodifiableMap(images);
    skipped = Collections.unmodifiableMap(skipped);
  }

  /** True if the event holds a scalar, histogram, text or image. */
  public boolean hasValues() {
    return !scalars.isEmpty() || !histograms.isEmpty() || !texts.isEmpty() || !images.isEmpty();
  }
}
