package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds a run's HParams session start before its steps are sent, since the dispatcher's run config
 * is fixed when it opens and writers put the session start anywhere (tensorboard's own examples put
 * it last). The files are first searched for the plugin's tag as raw bytes, which costs little;
 * only a file that holds it is decoded, up to the session start.
 */
final class HParamsProbe {

  private static final byte[] MARK = "session_start_info".getBytes(StandardCharsets.US_ASCII);

  private HParamsProbe() {}

  /** The hyperparameters of the first session start in {@code files}, or null if there is none. */
  static Map<String, Object> find(List<Path> files) throws IOException {
    for (Path file : files) {
      if (contains(file)) {
        try (EventFileReader reader = EventFileReader.open(file)) {
          for (TbRecord r; (r = reader.next()) != null; ) {
            if (r.sessionStart() != null) {
              return r.sessionStart().hparams();
            }
          }
        }
      }
    }
    return null;
  }

  /** Whether the file's bytes hold {@link #MARK}, read in blocks that overlap by the mark's length. */
  static boolean contains(Path file) throws IOException {
    byte[] buf = new byte[1 << 16];
    int keep = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf, keep, buf.length - keep)) > 0; ) {
        int end = keep + n;
        if (indexOf(buf, end) >= 0) {
          return true;
        }
        keep = Math.min(MARK.length - 1, end);
        System.arraycopy(buf, end - keep, buf, 0, keep);
      }
    }
    return false;
  }

  private static int indexOf(byte[] buf, int end) {
    byte first = MARK[0];
    outer:
    for (int i = 0; i + MARK.length <= end; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < MARK.length; j++) {
        if (buf[i + j] != MARK[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
