package decimerbeam.inference;

import static decimerbeam.testing.TestImages.encode;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.testing.HugeImages;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

/** Hostile and unusual inputs give typed errors or Pillow's RGBA samples, never a crash. */
class ImageDecoderTest {

  private static TfImageOps ops;
  private static ImageDecoder decoder;

  @BeforeAll
  static void open() {
    ops = new TfImageOps(ConfigProto.getDefaultInstance());
    decoder = new ImageDecoder(ops, EngineSettings.DEFAULT_MAX_PIXELS);
  }

  @AfterAll
  static void close() {
    ops.close();
  }

  private static Kind kindOf(byte[] bytes) {
    return assertThrows(RecognitionException.class, () -> decoder.decode(bytes)).kind();
  }

  @Test
  void emptyFileIsUnreadable() {
    assertThat(kindOf(new byte[0]), equalTo(Kind.UNREADABLE));
  }

  @Test
  void textNamedPngIsUnsupported() {
    assertThat(kindOf("hello, not an image\n".getBytes(StandardCharsets.UTF_8)),
        equalTo(Kind.UNSUPPORTED_FORMAT));
  }

  @Test
  void truncatedPngIsUnreadable() throws IOException {
    byte[] png = Files.readAllBytes(Path.of("src/test/resources/images/real/decimer-caffeine.png"));
    assertThat(kindOf(Arrays.copyOf(png, png.length / 2)), equalTo(Kind.UNREADABLE));
  }

  @Test
  void headerClaiming30000SquaredIsRefusedBeforeDecoding() {
    byte[] png = decimerbeam.testing.TestImages.pngHeaderOnly(30000, 30000);
    RecognitionException e = assertThrows(RecognitionException.class, () -> decoder.decode(png));
    assertThat(e.kind(), equalTo(Kind.TOO_LARGE));
    assertThat(e.getMessage(), containsString("30000x30000"));
  }

  @Test
  void headerWhoseSidesMultiplyPastLongIsTooLargeNotWrappedAround() {
    // 4e9 x 4e9 = 1.6e19 > 2^63: a long product wraps negative and would pass the limit.
    byte[] png = decimerbeam.testing.TestImages.pngHeaderOnly((int) 4_000_000_000L,
        (int) 4_000_000_000L);
    RecognitionException e = assertThrows(RecognitionException.class, () -> decoder.decode(png));
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.TOO_LARGE));
    assertThat(e.getMessage(), containsString("16000000000000000000 pixels"));
  }

  @Test
  void fiveSixteenBitSamplesPerPixelAreEstimatedFromTheTiffsLayout() throws Exception {
    byte[] five = HugeImages.tiff(100, 80, 5, 16, false);
    byte[] gray = HugeImages.tiff(100, 80, 1, 8, false);
    long extra = WorkingMemory.of(decoder.header(five), 0).heapBytes()
        - WorkingMemory.of(decoder.header(gray), 0).heapBytes();
    // 10 bytes a pixel instead of 1, counted twice for ImageIO: its raster and a strip's copy.
    assertThat("heap for 5 x 16-bit samples over 1 x 8-bit, 100x80",
        extra, equalTo(2L * 100 * 80 * (5 * 2 - 1)));
  }

  @Test
  void floatSamplesAreRefusedFromTheHeaderWithTheirLayout() {
    byte[] tiff = HugeImages.tiff(1024, 768, 1, 32, true);
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> decoder.header(tiff));
    assertThat(e.getMessage(), e.kind(), equalTo(Kind.UNSUPPORTED_FORMAT));
    assertThat(e.getMessage(), containsString("1 float32 sample per pixel, 1024x768: "
        + WorkingMemory.mib(1024L * 768 * Float.BYTES) + " raster"));
  }

  @Test
  void grayPngKeepsRawSamples() throws Exception {
    BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 200});
    RgbaImage rgba = decoder.decode(encode(gray, "png"));
    assertThat(Arrays.copyOfRange(rgba.rgba(), 4, 8),
        equalTo(new byte[] {100, 100, 100, (byte) 255}));
  }

  @Test
  void transparentPaletteEntryBecomesAlphaZero() throws Exception {
    byte[] r = {0, (byte) 255};
    IndexColorModel cm = new IndexColorModel(1, 2, r, r, r, 1);
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, cm);
    img.getRaster().setSample(1, 0, 0, 1);
    for (String format : new String[] {"png", "gif"}) {
      RgbaImage rgba = decoder.decode(encode(img, format));
      assertThat(format, rgba.rgba()[3], equalTo((byte) 255));
      assertThat(format, rgba.rgba()[7], equalTo((byte) 0));
    }
  }

  @Test
  void sixteenBitGrayIsClippedLikePillow() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {200, 40000});
    RgbaImage rgba = decoder.decode(encode(img, "png"));
    assertThat(rgba.rgba()[0] & 0xFF, equalTo(200));
    assertThat(rgba.rgba()[4] & 0xFF, equalTo(255));
  }

  @Test
  void bmpAndTiffDecode() throws Exception {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_3BYTE_BGR);
    img.setRGB(1, 1, 0x336699);
    for (String format : new String[] {"bmp", "tiff"}) {
      RgbaImage rgba = decoder.decode(encode(img, format));
      int o = (1 * 4 + 1) * 4;
      assertThat(format, Arrays.copyOfRange(rgba.rgba(), o, o + 4),
          equalTo(new byte[] {0x33, 0x66, (byte) 0x99, (byte) 255}));
    }
  }

  @Test
  void uniformImageIsReportedAsBlank() throws Exception {
    BufferedImage white = new BufferedImage(600, 600, BufferedImage.TYPE_INT_RGB);
    white.getGraphics().fillRect(0, 0, 600, 600);
    var e = assertThrows(RecognitionException.class,
        () -> DecimerPreprocessing.toSquare(decoder.decode(encode(white, "png"))));
    assertThat(e.kind(), equalTo(Kind.BLANK_IMAGE));
  }

  @Test
  void faintColourDrawingHasNoInkAndIsBlank() throws Exception {
    // Cyan on white: gray 225 after OpenCV's weights, 201 after the 1.8 contrast: above 200,
    // so DECIMER's crop finds no ink (Python raises ValueError here).
    BufferedImage img = new BufferedImage(600, 600, BufferedImage.TYPE_INT_RGB);
    var g = img.getGraphics();
    g.fillRect(0, 0, 600, 600);
    g.setColor(new java.awt.Color(0, 255, 255));
    g.drawLine(100, 300, 500, 300);
    var e = assertThrows(RecognitionException.class,
        () -> DecimerPreprocessing.toSquare(decoder.decode(encode(img, "png"))));
    assertThat(e.kind(), equalTo(Kind.BLANK_IMAGE));
  }
}
