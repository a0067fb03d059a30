package decimerbeam.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** The test image sets, their known SMILES (from the Python DECIMER golden file) and hostile files. */
public final class TestImages {

  public static final Path ROOT = Path.of("src/test/resources/images");
  public static final String CAFFEINE = "CN1C=NC2=C1C(=O)N(C)C(=O)N2C";
  private static Map<String, String> golden;

  private TestImages() {}

  public static Path file(String relative) {
    return ROOT.resolve(relative);
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "generated/gen-007.png" → the SMILES Python DECIMER 2.8.1 reads from it. */
  public static synchronized String goldenSmiles(String relative) {
    if (golden == null) {
      golden = new LinkedHashMap<>();
      ObjectMapper m = new ObjectMapper();
      try {
        for (String line : Files.readAllLines(
            Path.of("src/test/resources/parity/python-decimer-2.8.1.jsonl"))) {
          if (!line.isBlank()) {
            JsonNode n = m.readTree(line);
            golden.put(n.get("image").asText(), n.path("smiles").asText());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String s = golden.get(relative);
    if (s == null) {
      throw new IllegalArgumentException("no golden SMILES for " + relative);
    }
    return s;
  }

  /**
   * Hostile files, name → bytes, with the error kind each must produce ("" = recognised): a
   * zero-byte file, a truncated PNG, text named .png, a PNG header claiming 30000x30000, a CMYK
   * JPEG, a 16-bit PNG, and caffeine under a name with spaces and non-ASCII letters.
   */
  public static Map<String, byte[]> hostile() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] caffeine = bytes("real/decimer-caffeine.png");
    files.put("empty.png", new byte[0]);
    files.put("truncated.png", Arrays.copyOf(caffeine, caffeine.length / 3));
    files.put("text.png", "this is a text file, not a picture\n".getBytes(StandardCharsets.UTF_8));
    files.put("huge.png", pngHeaderOnly(30000, 30000));
    files.put("cmyk-caffeine.jpg", bytes("hostile/cmyk-caffeine.jpg"));
    files.put("deep16.png", sixteenBitDrawing());
    files.put("caffeine copy ü 名前.png", caffeine);
    files.put("notes.txt", "not an image\n".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** Expected error kind per hostile image ("" = recognised, absent = not an image). */
  public static Map<String, String> hostileKinds() {
    Map<String, String> kinds = new LinkedHashMap<>();
    kinds.put("empty.png", "UNREADABLE");
    kinds.put("truncated.png", "UNREADABLE");
    kinds.put("text.png", "UNSUPPORTED_FORMAT");
    kinds.put("huge.png", "TOO_LARGE");
    kinds.put("cmyk-caffeine.jpg", "");
    kinds.put("deep16.png", "");
    kinds.put("caffeine copy ü 名前.png", "");
    return kinds;
  }

  /**
   * Encodes with the JDK's own ImageIO writer: other writers on the classpath (FreeHEP's GIF
   * encoder, for one) quantise colours or refuse tiny images.
   */
  public static byte[] encode(BufferedImage img, String format) throws IOException {
    javax.imageio.ImageWriter writer = null;
    for (var it = ImageIO.getImageWritersByFormatName(format); it.hasNext(); ) {
      javax.imageio.ImageWriter w = it.next();
      if (w.getClass().getName().startsWith("com.sun.imageio.")) {
        writer = w;
        break;
      }
    }
    if (writer == null) {
      throw new IOException("no JDK writer for " + format);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(img);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] sixteenBitDrawing() {
    BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_USHORT_GRAY);
    var r = img.getRaster();
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        boolean ink = (y > 95 && y < 105 && x > 40 && x < 260) || (x > 145 && x < 155 && y > 30 && y < 170);
        r.setSample(x, y, 0, ink ? 0 : 65535);
      }
    }
    try {
      return encode(img, "png");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PNG signature and a valid IHDR chunk claiming the given size, and nothing else. */
  public static byte[] pngHeaderOnly(int width, int height) {
    byte[] b = new byte[33];
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(sig, 0, b, 0, 8);
    b[11] = 13;
    b[12] = 'I';
    b[13] = 'H';
    b[14] = 'D';
    b[15] = 'R';
    putInt(b, 16, width);
    putInt(b, 20, height);
    b[24] = 8;
    b[25] = 6;
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    putInt(b, 29, (int) crc.getValue());
    return b;
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
