package dev.trainlog.core.internal.backends;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The images and artifacts of a JSON lines file, copied under {@code <file>.files/} beside it: {@code
 * images/<key>/step-<step>-<i>.<ext>} and {@code artifacts/<name>}. A line refers to them by that
 * path relative to the file's directory, and the copy is made before the line is written.
 */
final class JsonlFiles {

  private final Path base;
  private final String folder;

  JsonlFiles(Path jsonl) {
    Path abs = jsonl.toAbsolutePath();
    this.base = abs.getParent();
    this.folder = abs.getFileName() + ".files";
  }

  /** Copies image {@code index} of {@code key} at {@code step}; returns its relative path. */
  String image(String key, long step, int index, Image image) throws IOException {
    String rel = folder + "/images/" + safe(key) + "/step-" + step + "-" + index + "." + image.format().extension();
    Path target = base.resolve(rel);
    if (!Files.exists(target)) {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.write(tmp, image.bytes());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return rel;
  }

  String artifact(Artifact a) throws IOException {
    String rel = folder + "/artifacts/" + safe(a.name());
    Path target = base.resolve(rel);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(a.file(), tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return rel;
  }

  /** A key as a relative path that cannot leave the folder. */
  private static String safe(String key) {
    StringBuilder sb = new StringBuilder();
    for (String part : key.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        part = "_";
      }
      sb.append(sb.length() == 0 ? "" : "/").append(part.replace('\\', '_'));
    }
    return sb.toString();
  }
}
