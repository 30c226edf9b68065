package dev.trainlog.query.spec;

/**
 * One image a run logged, as the store holds it: where it was logged (key, rank, step and its place among
 * the images of that key at that step) and the GridFS file with its bytes, which several steps may share
 * (a file is stored once per content per run).
 *
 * @param run the run id
 * @param rank the process rank that logged it
 * @param key the metric key, e.g. {@code samples/prompt_0}
 * @param step the step
 * @param index its place among the images logged under {@code key} at {@code step}, from 0
 * @param fileId the GridFS {@code _id}, {@code <run id>/<content id>}
 * @param contentType {@code image/png} or {@code image/jpeg}
 * @param width pixels across
 * @param height pixels down
 * @param bytes the encoded size, -1 when the GridFS file is missing
 */
public record StoredImage(String run, int rank, String key, long step, int index, String fileId, String contentType,
    int width, int height, long bytes) {

  /** The file name extension of its format: {@code png} or {@code jpg}. */
  public String extension() {
    return "image/jpeg".equals(contentType) ? "jpg" : "png";
  }
}
