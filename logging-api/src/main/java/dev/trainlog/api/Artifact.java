package dev.trainlog.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file logged with {@code dispatcher.artifact(path, name)} (a checkpoint, a LoRA's weights): its
 * name as the backends store it, its size, a content id and the file TrainLog keeps a copy in until
 * every backend has it. A directory is logged as one artifact per file, named below the given name.
 */
public final class Artifact {

  private final String name;
  private final long length;
  private final String contentId;
  private final Path file;

  public Artifact(String name, long length, String contentId, Path file) {
    this.name = Objects.requireNonNull(name, "name");
    this.length = length;
    this.contentId = Objects.requireNonNull(contentId, "contentId");
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The name backends store it under, '/'-separated, e.g. {@code checkpoints/step-500.safetensors}. */
  public String name() {
    return name;
  }

  public long length() {
    return length;
  }

  /** The id of the stored content: equal files share it (see {@link Image#contentId()}). */
  public String contentId() {
    return contentId;
  }

  /** TrainLog's copy of the content: read it, never change or delete it. */
  public Path file() {
    return file;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Artifact other && name.equals(other.name) && contentId.equals(other.contentId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, contentId);
  }

  @Override
  public String toString() {
    return name + " (" + Image.humanSize(length) + ")";
  }
}
