package decimerbeam.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Very large images made cheaply in the test, never committed: a white gray-scale raster with a
 * black frame and a cross (ink for DECIMER's crop), written row by row so the pixels are never
 * all in memory; a JPEG whose header claims a huge size; a PNG padded with a large private
 * chunk that decoders skip.
 */
public final class HugeImages {

  private HugeImages() {}

  /** An 8-bit gray PNG of {@code w x h}: a frame at 10 % inside the edges and a cross. */
  public static byte[] png(int w, int h) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED),
        1 << 16)) {
      byte[] row = new byte[w + 1]; // filter byte 0, then the samples
      for (int y = 0; y < h; y++) {
        fillRow(row, y, w, h);
        z.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h)
        .put(new byte[] {8, 0, 0, 0, 0}).array());
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void fillRow(byte[] row, int y, int w, int h) {
    Arrays.fill(row, (byte) 255);
    row[0] = 0;
    int x0 = w / 10;
    int x1 = w - w / 10;
    int y0 = h / 10;
    int y1 = h - h / 10;
    int t = Math.max(2, Math.min(w, h) / 50);
    if (y < y0 || y >= y1) {
      return;
    }
    if (y < y0 + t || y >= y1 - t || Math.abs(y - h / 2) < t) {
      Arrays.fill(row, 1 + x0, 1 + x1, (byte) 0);
      return;
    }
    Arrays.fill(row, 1 + x0, 1 + x0 + t, (byte) 0);
    Arrays.fill(row, 1 + x1 - t, 1 + x1, (byte) 0);
    Arrays.fill(row, 1 + w / 2 - t / 2, 1 + w / 2 + t / 2 + 1, (byte) 0);
  }

  /** The same drawing as a baseline gray JPEG (the raster is {@code w x h} bytes in memory). */
  public static byte[] jpeg(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] row = new byte[w + 1];
    for (int y = 0; y < h; y++) {
      fillRow(row, y, w, h);
      img.getRaster().setDataElements(0, y, w, 1, Arrays.copyOfRange(row, 1, w + 1));
    }
    return TestImages.encode(img, "jpg");
  }

  /**
   * A real 16x16 JPEG whose start-of-frame claims {@code w x h}: its header is what a huge
   * JPEG's header is, and an engine that trusts the header never gets to the scan.
   */
  public static byte[] jpegClaiming(int w, int h) throws IOException {
    byte[] small = jpeg(16, 16);
    for (int i = 2; i + 9 < small.length; i++) {
      if ((small[i] & 0xFF) == 0xFF && (small[i + 1] & 0xFF) == 0xC0) {
        small[i + 5] = (byte) (h >> 8);
        small[i + 6] = (byte) h;
        small[i + 7] = (byte) (w >> 8);
        small[i + 8] = (byte) w;
        return small;
      }
    }
    throw new IllegalStateException("no SOF0 marker in the JDK's JPEG");
  }

  /** {@code png} with a private ancillary chunk after IHDR that brings it to about {@code size}. */
  public static byte[] paddedPng(byte[] png, int size) throws IOException {
    int ihdrEnd = 8 + 25;
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + png.length);
    out.write(png, 0, ihdrEnd);
    chunk(out, "prVt", new byte[Math.max(0, size - png.length - 12)]);
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
