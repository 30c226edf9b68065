package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./trainlog} launcher of the repository root, run as a user runs it, with a backend plugin compiled
 * here: its {@code type: csv} is found through {@code TRAINLOG_CLASSPATH}, and without it the error says so. The
 * launcher's {@code cli/target/trainlog.jar} is a manifest that names this test's class path (no build needed).
 */
class PluginClasspathTest {

  private static final String PROVIDER = """
      package acme.plugin;

      public final class CsvProvider implements dev.trainlog.spi.BackendProvider {
        @Override public String type() { return "csv"; }
        @Override public int spiVersion() { return dev.trainlog.spi.Spi.VERSION; }
        @Override public dev.trainlog.spi.LogBackend create(dev.trainlog.spi.BackendContext context) {
          return batch -> { };
        }
      }
      """;

  @TempDir Path tmp;
  private Path launcher;
  private Path plugin;
  private Path yaml;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("trainlog"));
    launcher = Files.copy(Path.of("..", "trainlog"), root.resolve("trainlog"), StandardCopyOption.COPY_ATTRIBUTES);
    writeLauncherJar(Files.createDirectories(root.resolve("cli").resolve("target")).resolve("trainlog.jar"));
    plugin = compilePlugin(tmp.resolve("plugin"));
    yaml = Files.writeString(tmp.resolve("trainlog.yaml"), "run: {experiment: e, name: r}\n"
        + "dispatcher: {journal-dir: " + tmp.resolve("journal") + ", shutdown-hook: false}\n"
        + "backends:\n  out: {type: csv}\n");
  }

  @Test
  void aPluginNamedInTrainlogClasspathIsFoundByTheLauncher() throws Exception {
    Run r = launch(Map.of("TRAINLOG_CLASSPATH", tmp.resolve("absent.jar") + ":" + plugin), "config", "check",
        yaml.toString());

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("backend out (type csv)");
  }

  @Test
  void anUnknownTypeSaysHowToAddAPluginsJar() throws Exception {
    Run r = launch(Map.of(), "config", "check", yaml.toString());

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("`backends.out.type` was 'csv' but it must be one of the installed backend types: ")
        .contains("trainlog: a plugin's type is found on the class path: name its jar (or classes directory) in"
            + " TRAINLOG_CLASSPATH, colon separated, e.g. TRAINLOG_CLASSPATH=plugins/csv-backend.jar ./trainlog ...");
  }

  private record Run(int code, String out, String err) {}

  private Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().remove("TRAINLOG_CLASSPATH");
    pb.environment().remove("TRAINLOG_JAVA_OPTS");
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
        + pb.environment().getOrDefault("PATH", ""));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt")), Files.readString(tmp.resolve("err.txt")));
  }

  /** A jar holding only a manifest: the command line's main class, and this JVM's class path as its Class-Path. */
  private static void writeLauncherJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.put(Attributes.Name.MAIN_CLASS, TrainlogCli.class.getName());
    a.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toUri().toString())
        .collect(Collectors.joining(" ")));
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
  }

  /** The provider compiled against trainlog-api, and its ServiceLoader entry, in a classes directory. */
  private static Path compilePlugin(Path classes) throws IOException {
    Path src = Files.createDirectories(classes.resolveSibling("src").resolve("acme").resolve("plugin"));
    Path source = Files.writeString(src.resolve("CsvProvider.java"), PROVIDER);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertThat(rc).as("the plugin compiles").isZero();
    Path services = Files.createDirectories(classes.resolve("META-INF").resolve("services"));
    Files.writeString(services.resolve("dev.trainlog.spi.BackendProvider"), "acme.plugin.CsvProvider\n",
        StandardCharsets.UTF_8);
    return classes;
  }
}
