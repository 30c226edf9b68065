package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngEncodingTest {

  @TempDir Path dir;

  @Test
  void anImageLoggedAsPixelsIsStillReadWhenItsEncodedPngCannotBeKept() throws Exception {
    BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    picture.setRGB(1, 1, 0x336699);
    BlobStore store = BlobStore.open(dir);
    byte[] pixels = PngEncoding.pixelsOf(picture);
    Image image = store.putPixels(pixels, 3, 2);
    store.settle();
    Path blobs = dir.resolve("blobs");
    Path encoded = blobs.resolve(image.contentId() + ".png");
    // where this thread would write the PNG first: a directory with a file in it, as unwritable as a full disk
    Path tmp = blobs.resolve(image.contentId() + ".png.tmp" + Thread.currentThread().getId());
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("in-the-way"), "x");

    byte[] read = image.bytes();

    assertThat(read).isEqualTo(PngEncoding.encode(pixels));
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(read));
    assertThat(back.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x336699);
    assertThat(encoded).doesNotExist();
    assertThat(image.bytes()).isEqualTo(read);

    Files.delete(tmp.resolve("in-the-way"));
    Files.delete(tmp);
    assertThat(image.bytes()).isEqualTo(read);
    assertThat(encoded).exists();
    store.close();
  }
}
