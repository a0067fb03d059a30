package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

  private static BufferedImage decode(String dataUri) throws Exception {
    String base64 = dataUri.substring(dataUri.indexOf(',') + 1);
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }

  @Test
  void aRealDrawingShrinksToAtMostTheThumbnailSide() throws Exception {
    byte[] png = Files.readAllBytes(Path.of("samples/real/decimer-caffeine.png"));
    BufferedImage original = ImageIO.read(new ByteArrayInputStream(png));
    String uri = Thumbnail.of(png).orElseThrow();
    assertThat(uri, startsWith("data:image/"));
    BufferedImage thumb = decode(uri);
    assertThat(Math.max(thumb.getWidth(), thumb.getHeight()), equalTo(Thumbnail.MAX_SIDE));
    // The shape is kept.
    assertThat(Math.abs((double) thumb.getWidth() / thumb.getHeight()
        - (double) original.getWidth() / original.getHeight()), lessThanOrEqualTo(0.05));
    assertThat(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)).length,
        lessThanOrEqualTo(Thumbnail.MAX_BYTES));
  }

  @Test
  void aLargeNoisyImageStaysWithinTheByteBound() throws Exception {
    BufferedImage noise = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(7);
    for (int y = 0; y < noise.getHeight(); y++) {
      for (int x = 0; x < noise.getWidth(); x++) {
        noise.setRGB(x, y, random.nextInt());
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(noise, "png", png);
    Optional<String> uri = Thumbnail.of(png.toByteArray());
    // Noise does not compress: a JPEG within the bound, or none at all, never a larger one.
    if (uri.isPresent()) {
      assertThat(Base64.getDecoder().decode(uri.get().substring(uri.get().indexOf(',') + 1))
          .length, lessThanOrEqualTo(Thumbnail.MAX_BYTES));
      assertThat(decode(uri.get()).getWidth(), equalTo(Thumbnail.MAX_SIDE));
    }
  }

  @Test
  void aSmallImageIsNotEnlargedAndTransparencyBecomesWhite() throws Exception {
    BufferedImage small = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = small.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, 10, 10);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(small, "png", png);
    BufferedImage thumb = decode(Thumbnail.of(png.toByteArray()).orElseThrow());
    assertThat(thumb.getWidth(), equalTo(40));
    assertThat(thumb.getHeight(), equalTo(20));
    assertThat(thumb.getRGB(30, 15) & 0xffffff, equalTo(0xffffff));
    assertThat(thumb.getRGB(2, 2) & 0xffffff, equalTo(0));
  }

  @Test
  void bytesThatAreNoPictureGiveNone() {
    assertThat(Thumbnail.of("smiles=CCO".getBytes(StandardCharsets.UTF_8)),
        equalTo(Optional.empty()));
    assertThat(Thumbnail.of(new byte[0]), equalTo(Optional.empty()));
    byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0};
    assertThat(Thumbnail.of(png), equalTo(Optional.empty()));
  }
}
