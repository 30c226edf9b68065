package dev.trainlog.cli.importing;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the follower when something under a directory tree is created or written (a WatchService on
 * every directory, new ones added as they appear), and at the latest after the poll interval, which
 * covers file systems that send no events (network mounts) and directories made between two looks.
 */
final class DirWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirWatcher.class);

  private final WatchService service;
  private final Set<Path> watched = new HashSet<>();
  private final boolean tree;

  /** Watches {@code root} and, if {@code tree}, every directory under it (a followed file's directory: not). */
  DirWatcher(Path root, boolean tree) throws IOException {
    this.tree = tree;
    WatchService s;
    try {
      s = FileSystems.getDefault().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("No file system events for {} ({}); polling only", root, e.toString());
      s = null;
    }
    this.service = s;
    if (tree) {
      watchTree(root);
    } else if (s != null && Files.isDirectory(root)) {
      watch(root);
    }
  }

  /** Watches {@code dir} and every directory under it that is not watched yet. */
  void watchTree(Path dir) {
    if (service == null || !Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> dirs = Files.walk(dir)) {
      dirs.filter(Files::isDirectory).forEach(this::watch);
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not watch all of {}: {}", dir, e.toString());
    }
  }

  private void watch(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    if (watched.add(key)) {
      try {
        key.register(service, ENTRY_CREATE, ENTRY_MODIFY);
      } catch (IOException e) {
        watched.remove(key);
        LOG.debug("Could not watch {}: {}", key, e.toString());
      }
    }
  }

  /** Waits until something changed or {@code millis} passed; new directories are watched from then on. */
  void await(long millis) throws InterruptedException {
    if (service == null) {
      TimeUnit.MILLISECONDS.sleep(millis);
      return;
    }
    try {
      WatchKey key = service.poll(millis, TimeUnit.MILLISECONDS);
      while (key != null) {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (tree && event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
            watchTree(dir.resolve(name));
          }
        }
        if (!key.reset()) {
          watched.remove(dir);
        }
        key = service.poll();
      }
    } catch (ClosedWatchServiceException e) {
      TimeUnit.MILLISECONDS.sleep(millis);
    }
  }

  @Override
  public void close() throws IOException {
    if (service != null) {
      service.close();
    }
  }
}
