package dev.trainlog.cli.importing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.cli.common.StopSignal;
import dev.trainlog.cli.TrainlogCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The event files the real Python writers made (in backend-tensorboard's test resources), and helpers around them. */
final class Fixtures {

  static final Path ROOT = Path.of("..", "backend-tensorboard", "src", "test", "resources", "tb-fixtures");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** Copies the fixtures' log directory to {@code target}; returns it. */
  static Path copyLogs(Path target) throws IOException {
    return copy("logs", target);
  }

  /** Copies the fixtures' folder {@code name} (e.g. {@code hparams-logs}) to {@code target}; returns it. */
  static Path copy(String name, Path target) throws IOException {
    Path from = ROOT.resolve(name);
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = target.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }

  /** What the PyTorch writer of {@code hparams-logs} was given, by run name. */
  static JsonNode hparamsExpected() throws IOException {
    return JSON.readTree(ROOT.resolve("hparams-expected.json").toFile()).get("runs");
  }

  /** What the writers were given, by run name. */
  static JsonNode expected() throws IOException {
    return JSON.readTree(ROOT.resolve("expected.json").toFile()).get("runs");
  }

  /** A YAML with the given backends section (indented two spaces per level), journal under {@code dir}. */
  static Path yaml(Path dir, String backends) throws IOException {
    String text = "dispatcher:\n  journal-dir: " + dir.resolve("journal") + "\n  journal: {segment-size: 1MiB}\n"
        + "  shutdown-hook: false\n  dead-letter-dir: " + dir.resolve("dead") + "\n"
        + "defaults: {flush-interval: 50ms}\nbackends:\n" + backends;
    return Files.writeString(dir.resolve("trainlog.yaml"), text);
  }

  /** Every JSON line of every file under {@code dir}, parsed, in file order then line order. */
  static List<JsonNode> jsonLines(Path file) {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Runs a command line in this JVM; returns exit code, out and err. */
  static Result run(StopSignal stop, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TrainlogCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC(), stop,
        args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(new StopSignal(), args);
  }

  record Result(int code, String out, String err) {}
}
