package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The image panel of {@link ImageRuns#KEY} (drawn by {@code images.js}) as headless Chromium shows it. */
final class ImagePanel {

  private ImagePanel() {}

  /** The panel, once the page's image section says it is drawn. */
  static WebElement of(ChromeDriver browser) {
    await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(
        browser.findElement(By.id("images")).getAttribute("data-images-ready")));
    return browser.findElement(By.cssSelector(".image-panel[data-key='" + ImageRuns.KEY + "']"));
  }

  /**
   * Asserts that {@code panel} shows {@code cells} ("run cell", in order) of {@code step}, each decoded by the
   * browser at its logged width, and returns their {@code <img>} elements.
   */
  static List<WebElement> assertShows(ChromeDriver browser, WebElement panel, long step, String... cells) {
    assertThat(panel.getAttribute("data-step")).isEqualTo(String.valueOf(step));
    await().atMost(Duration.ofSeconds(10)).until(() -> panel.findElements(By.cssSelector("img")).stream()
        .allMatch(img -> "1".equals(img.getAttribute("data-loaded"))));
    List<WebElement> images = panel.findElements(By.cssSelector("img"));
    List<String> shown = new ArrayList<>();
    for (WebElement img : images) {
      String run = img.getAttribute("data-column");
      int cell = Integer.parseInt(img.getAttribute("data-index"));
      assertThat(img.getAttribute("data-step")).isEqualTo(String.valueOf(step));
      assertThat(((Number) browser.executeScript("return arguments[0].naturalWidth", img)).intValue())
          .as("decoded width of %s cell %d", run, cell).isEqualTo(ImageRuns.width(List.of(ImageRuns.RUNS).indexOf(run), cell));
      shown.add(run + " " + cell);
    }
    assertThat(shown).containsExactly(cells);
    return images;
  }

  /** Moves the panel's step slider with {@code key} and waits until it shows {@code step}. */
  static void slide(WebElement panel, CharSequence key, long step) {
    panel.findElement(By.cssSelector("input.image-step")).sendKeys(key);
    await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(step).equals(panel.getAttribute("data-step")));
  }
}
