package dev.trainlog.core.internal.journal;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A blob file whose bytes no longer match the content id it is stored under (one damaged byte on the disk):
 * read back as an error, never handed to a backend as an image.
 */
public final class DamagedBlobException extends FileSystemException {

  private static final long serialVersionUID = 1L;

  DamagedBlobException(Path file, String id) {
    super(file.toString(), null, "damaged: its bytes do not match its content id " + id);
  }
}
