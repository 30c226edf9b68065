package dev.trainlog.cli.report;

import dev.trainlog.query.RunImages;
import dev.trainlog.query.spec.ImageFile;
import dev.trainlog.query.spec.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes runs' logged images to a directory, bytes exactly as logged: {@code <dir>/<run>/<key>/step-000500-0.png},
 * the key's {@code /} written as {@code ~} (so {@code samples/prompt_0} is one folder, {@code samples~prompt_0}),
 * the step zero-padded to six digits, then the image's place among those of its key at that step. A run whose
 * images come from several ranks gets a {@code rank-<r>} folder between run and key.
 */
public final class ImageExport {

  private ImageExport() {}

  /** Writes every image of {@code runs} under {@code dir} and returns how many it wrote. */
  public static long write(RunImages source, List<String> runs, Path dir) throws IOException {
    long written = 0;
    for (String run : runs) {
      List<StoredImage> images = source.list(run);
      boolean ranks = images.stream().map(StoredImage::rank).distinct().count() > 1;
      for (StoredImage image : images) {
        ImageFile file = source.read(image).orElse(null);
        if (file == null) {
          continue; // the step document refers to a file GridFS does not hold (yet)
        }
        Path target = dir.resolve(segment(run));
        if (ranks) {
          target = target.resolve("rank-" + image.rank());
        }
        target = target.resolve(segment(image.key().replace('/', '~'))).resolve(fileName(image));
        Files.createDirectories(target.getParent());
        Files.write(target, file.bytes());
        written++;
      }
    }
    return written;
  }

  /** {@code step-000500-0.png}: step, place among the images of its key at that step, format. */
  static String fileName(StoredImage image) {
    return String.format(Locale.ROOT, "step-%06d-%d.%s", image.step(), image.index(), image.extension());
  }

  /** A name that is one path segment on every file system: reserved characters as {@code _}, no leading dot. */
  static String segment(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      sb.append(c < 0x20 || "/\\:*?\"<>|".indexOf(c) >= 0 ? '_' : c);
    }
    if (sb.length() == 0 || sb.charAt(0) == '.') {
      sb.insert(0, '_');
    }
    return sb.toString();
  }
}
