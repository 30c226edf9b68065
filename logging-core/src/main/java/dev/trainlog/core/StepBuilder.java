package dev.trainlog.core;

import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.MetricMap;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects one step's metrics for {@link LogDispatcher#step(long)}:
 * {@code dispatcher.step(n).scalar("loss", x).vector("gpu_util", u).log()}. Not thread-safe; get a
 * new one per step (it is cheap: what it collects becomes the record's map).
 */
public final class StepBuilder {

  private final Intake intake;
  private final FileIntake files;
  private final long step;
  private final MetricMap.Builder metrics = MetricMap.builder(8);
  /** Images by key, each key's in the order given; put into the record at {@link #log()}. */
  private Map<String, Images> images;
  private boolean force;
  /** Whether every value is already as the record model has it (a double, vector or text): no normalising. */
  private boolean normal = true;
  private boolean logged;

  StepBuilder(Intake intake, FileIntake files, long step) {
    this.intake = intake;
    this.files = files;
    this.step = step;
  }

  public StepBuilder scalar(String key, double value) {
    open(key).put(key, value);
    return this;
  }

  /** A vector such as per-GPU utilisation; the array is copied, so the caller may reuse it. */
  public StepBuilder vector(String key, double[] values) {
    if (values == null) {
      throw new IllegalArgumentException("step " + step + ": vector '" + key + "' is null");
    }
    open(key).put(key, values.clone());
    return this;
  }

  public StepBuilder text(String key, String value) {
    open(key).put(key, value);
    return this;
  }

  /** Any value {@link LogDispatcher#log(long, Map)} accepts (numbers, arrays, lists, maps, strings). */
  public StepBuilder value(String key, Object value) {
    open(key).put(key, value);
    normal &= value instanceof Double || value instanceof double[] || value instanceof String;
    return this;
  }

  /**
   * An image: PNG or JPEG bytes (detected by their first bytes, stored as they are). The bytes are in a
   * file beside the journal when this returns, so the caller may reuse the array. Several images under
   * one key keep their order (a grid's cells).
   *
   * <p>When the journal's store cannot write it (a full device) the image is left out of the record, counted in
   * {@code stats().refusedFiles()} and warned about; the record's other values are logged.
   *
   * @throws IllegalArgumentException naming the key and step when the bytes are neither PNG nor JPEG or
   *     larger than {@code dispatcher.max-image-size}
   */
  public StepBuilder image(String key, byte[] encoded) {
    open(key);
    return addImage(key, files.encoded(key, step, encoded));
  }

  /** An image from a PNG or JPEG file, read now; the file may be deleted once this returns. */
  public StepBuilder image(String key, Path file) {
    open(key);
    return addImage(key, files.file(key, step, file));
  }

  /**
   * An image as pixels: copied now, encoded to PNG later by the first backend worker that reads it (never
   * on this thread), so the caller may change the image once this returns.
   */
  public StepBuilder image(String key, BufferedImage image) {
    open(key);
    return addImage(key, files.pixels(key, step, image));
  }

  private StepBuilder addImage(String key, Image image) {
    if (image == null) {
      return this; // the store could not write it (a full device): counted and warned about, the rest is logged
    }
    if (images == null) {
      images = new LinkedHashMap<>();
    }
    images.merge(key, Images.of(image), (a, b) -> a.plus(b.get(0)));
    return this;
  }

  /** Sends this record past every sampler (an eval result, the last step). */
  public StepBuilder force() {
    this.force = true;
    return this;
  }

  /** Logs the record; a builder logs once, so call {@code step(n)} again for the next record. */
  public void log() {
    MetricMap.Builder m = open();
    if (images != null) {
      images.forEach(m::put);
    }
    // the builder's own map becomes the record's, normalised only when a value or an image needs it
    intake.logBuilt(step, m.build(), normal && images == null, force);
    logged = true;
  }

  private MetricMap.Builder open(String key) {
    if (key == null) {
      throw new IllegalArgumentException("step " + step + ": a metric key is null");
    }
    return open();
  }

  private MetricMap.Builder open() {
    if (logged) {
      throw new IllegalStateException("this step(" + step + ") builder was logged already; start the next record"
          + " with dispatcher.step(n)");
    }
    return metrics;
  }
}
