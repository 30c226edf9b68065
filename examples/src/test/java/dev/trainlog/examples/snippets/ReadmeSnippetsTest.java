package dev.trainlog.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java the README shows is code this module compiles: each snippet between {@code // README:
 * name} and {@code // README: end} markers, and the plugin provider whole, stand in the README as a
 * code block, line for line.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SOURCES = ROOT.resolve("examples/src/main/java/dev/trainlog/examples");

  private static List<String> readmeJavaBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("```java")) {
        int end = lines.subList(i + 1, lines.size()).indexOf("```") + i + 1;
        blocks.add(String.join("\n", lines.subList(i + 1, end)));
        i = end;
      }
    }
    return blocks;
  }

  /** The lines between the markers, with the indentation they share taken off. */
  private static String snippet(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = lines.indexOf(lines.stream().filter(l -> l.trim().equals("// README: " + name)).findFirst()
        .orElseThrow(() -> new AssertionError("no snippet " + name + " in " + file)));
    int end = start + 1;
    while (!lines.get(end).trim().equals("// README: end")) {
      end++;
    }
    List<String> body = lines.subList(start + 1, end);
    int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
  }

  @Test
  void theUseItInYourProjectSnippetsAreTheCompiledOnes() throws IOException {
    Path source = SOURCES.resolve("snippets/UseInYourProject.java");

    assertThat(readmeJavaBlocks()).contains(snippet(source, "from-yaml"), snippet(source, "builder"));
  }

  @Test
  void thePluginGuideShowsTheExamplePluginsProviderWhole() throws IOException {
    String provider = String.join("\n", Files.readAllLines(SOURCES.resolve("plugin/CsvBackendProvider.java")));

    assertThat(readmeJavaBlocks()).contains(provider);
    assertThat(Arrays.asList(provider.split("\n"))).contains("import com.google.auto.service.AutoService;");
  }
}
