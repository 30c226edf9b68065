package dev.trainlog.core;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.core.internal.journal.BlobStore;
import dev.trainlog.core.internal.journal.PngEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns what a caller gives {@code image()} and {@code artifact()} into values that refer to files in the
 * journal's blob store, written before the call returns. What the caller can fix (not PNG or JPEG, too
 * large, no such file) is an {@link IllegalArgumentException} naming the key and step; what the store cannot
 * write (a full device) is left out of its record, counted in {@code stats().refusedFiles()} and warned about,
 * and the rest of the record is logged: the training loop goes on, as it does when the journal refuses a record.
 */
final class FileIntake {

  private final BlobStore blobs;
  private final long maxImageSize;
  private final Refusals refused;

  /**
   * {@code blobs} is null for a dispatcher without backends: images are checked, then kept in memory. What the
   * store cannot write (a full device) is counted in {@code refused} and left out of its record.
   */
  FileIntake(BlobStore blobs, long maxImageSize, Refusals refused) {
    this.blobs = blobs;
    this.maxImageSize = maxImageSize;
    this.refused = refused;
  }

  /** Images and artifacts left out of their records because the store could not write them. */
  long refusedCount() {
    return refused.count();
  }

  /** {@code what} could not be stored: counted and warned about; the caller leaves it out of its record. */
  private <T> T notStored(String what, IOException e) {
    refused.refuse(what + " could not be stored in " + blobs.directory() + ": " + e);
    return null;
  }

  /** The image, in the store; null when the store could not write it (counted, warned about). */
  Image encoded(String key, long step, byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "' is null");
    }
    if (bytes.length > maxImageSize) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "' is " + bytes.length
          + " bytes, over max-image-size (" + maxImageSize + " bytes)");
    }
    Image.Header header;
    try {
      header = Image.Header.read(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "' is " + e.getMessage(), e);
    }
    if (blobs == null) {
      return Image.of(bytes);
    }
    try {
      return blobs.putEncoded(bytes, header);
    } catch (IOException e) {
      return notStored("image '" + key + "' at step " + step, e);
    }
  }

  Image file(String key, long step, Path file) {
    try {
      if (Files.size(file) > maxImageSize) {
        throw new IllegalArgumentException("step " + step + ": image '" + key + "' (" + file + ") is "
            + Files.size(file) + " bytes, over max-image-size (" + maxImageSize + " bytes)");
      }
      return encoded(key, step, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "': no file " + file, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "': cannot read " + file + " (" + e
          + ")", e);
    }
  }

  /** Copies the pixels here; they are encoded to PNG by the first backend worker that reads them. */
  Image pixels(String key, long step, BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("step " + step + ": image '" + key + "' is null");
    }
    byte[] raw = PngEncoding.pixelsOf(image);
    if (blobs == null) {
      return new Image(Image.Format.PNG, image.getWidth(), image.getHeight(), -1, Image.sha256(raw),
          () -> PngEncoding.encode(raw));
    }
    try {
      return blobs.putPixels(raw, image.getWidth(), image.getHeight());
    } catch (IOException e) {
      return notStored("image '" + key + "' at step " + step, e);
    }
  }

  /**
   * A file as one artifact, a directory as one per file below {@code name}, in path order; those the store could
   * not write (a full device) are left out, counted and warned about.
   */
  List<Artifact> artifacts(Path path, String name) {
    checkName(name);
    if (path == null || !Files.exists(path)) {
      throw new IllegalArgumentException("artifact '" + name + "': no file or directory " + path);
    }
    java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
    try {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
            files.put(name + "/" + path.relativize(f).toString().replace('\\', '/'), f);
          }
        }
      } else {
        files.put(name, path);
      }
      for (var e : files.entrySet()) {
        if (!Files.isReadable(e.getValue())) {
          throw new IllegalArgumentException("artifact '" + e.getKey() + "': cannot read " + e.getValue());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("artifact '" + name + "': cannot read " + path + " (" + e + ")", e);
    }
    List<Artifact> out = new ArrayList<>();
    for (var e : files.entrySet()) {
      Artifact a = one(e.getValue(), e.getKey());
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  /** The artifact, in the store; null when the store could not write it (counted, warned about). */
  private Artifact one(Path file, String name) {
    try {
      if (blobs == null) {
        return new Artifact(name, Files.size(file), "unstored", file);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("artifact '" + name + "': cannot read " + file + " (" + e + ")", e);
    }
    try {
      return blobs.putFile(file, name);
    } catch (IOException e) {
      return notStored("artifact '" + name + "'", e);
    }
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("\\")
        || name.contains("//") || List.of(name.split("/")).contains("..")) {
      throw new IllegalArgumentException("artifact name '" + name + "' must be a relative '/'-separated path"
          + " without '..', e.g. checkpoints/step-500.safetensors");
    }
  }
}
