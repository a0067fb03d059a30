package decimerbeam.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Very large images made cheaply in the test, never committed: a white gray-scale raster with a
 * black frame and a cross (ink for DECIMER's crop), written row by row so the pixels are never
 * all in memory; a JPEG whose header claims a huge size; a PNG padded with a large private
 * chunk that decoders skip; a TIFF of many (float) samples per pixel whose strips all share one
 * compressed strip of zeros.
 */
public final class HugeImages {

  /** TIFF field types. */
  private static final int SHORT = 3;
  private static final int LONG = 4;

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

  /**
   * A deflate-compressed, chunky TIFF of {@code w x h} with {@code samples} samples of
   * {@code bits} bits per pixel, IEEE floating point or unsigned integer, all zero. Every strip
   * of a full strip's rows points at the same compressed bytes, so a gigabyte raster is a file
   * of a few kilobytes; only one strip's worth of zeros is ever compressed.
   */
  public static byte[] tiff(int w, int h, int samples, int bits, boolean floating) {
    long rowBytes = (long) w * samples * bits / 8;
    int rowsPerStrip = (int) Math.max(1, Math.min(h, (8L << 20) / rowBytes));
    int strips = (h + rowsPerStrip - 1) / rowsPerStrip;
    int lastRows = h - (strips - 1) * rowsPerStrip;
    byte[] full = zeros(rowBytes * rowsPerStrip);
    byte[] last = lastRows == rowsPerStrip ? new byte[0] : zeros(rowBytes * lastRows);
    int[] offsets = new int[strips];
    int[] counts = new int[strips];
    int[] perSample = new int[samples];
    int entries = samples > 1 ? 12 : 11;
    int arrays = 8 + 2 + entries * 12 + 4;
    // The value arrays after the IFD, then the full strip, then a shorter last strip if any.
    int fullAt = arrays + 3 * 2 * samples + 2 * 4 * strips;
    int lastAt = fullAt + full.length;
    for (int i = 0; i < strips; i++) {
      boolean shorter = i == strips - 1 && last.length > 0;
      offsets[i] = shorter ? lastAt : fullAt;
      counts[i] = shorter ? last.length : full.length;
    }
    ByteBuffer b = ByteBuffer.allocate(lastAt + last.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) entries);
    int[] next = {arrays};
    entry(b, next, 256, LONG, w); // ImageWidth
    entry(b, next, 257, LONG, h); // ImageLength
    Arrays.fill(perSample, bits);
    entry(b, next, 258, SHORT, perSample); // BitsPerSample
    entry(b, next, 259, SHORT, 8); // Compression: deflate
    entry(b, next, 262, SHORT, 1); // PhotometricInterpretation: black is zero
    entry(b, next, 273, LONG, offsets); // StripOffsets
    entry(b, next, 277, SHORT, samples); // SamplesPerPixel
    entry(b, next, 278, LONG, rowsPerStrip); // RowsPerStrip
    entry(b, next, 279, LONG, counts); // StripByteCounts
    entry(b, next, 284, SHORT, 1); // PlanarConfiguration: chunky
    if (samples > 1) {
      entry(b, next, 338, SHORT, new int[samples - 1]); // ExtraSamples: unspecified
    }
    Arrays.fill(perSample, floating ? 3 : 1);
    entry(b, next, 339, SHORT, perSample); // SampleFormat: IEEE float or unsigned
    b.putInt(0);
    b.position(fullAt);
    b.put(full).put(last);
    return b.array();
  }

  /** One IFD entry; values that do not fit its 4 bytes go to {@code next[0]}, which advances. */
  private static void entry(ByteBuffer b, int[] next, int tag, int type, int... values) {
    int size = type == SHORT ? 2 : 4;
    b.putShort((short) tag).putShort((short) type).putInt(values.length);
    int at = b.position();
    if (values.length * size > 4) {
      b.putInt(next[0]);
      at = next[0];
      next[0] += values.length * size;
    } else {
      b.putInt(0);
    }
    for (int v : values) {
      if (type == SHORT) {
        b.putShort(at, (short) v);
      } else {
        b.putInt(at, v);
      }
      at += size;
    }
  }

  /** {@code n} zero bytes, deflated without holding them all. */
  private static byte[] zeros(long n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] block = new byte[1 << 16];
    try (OutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      for (long left = n; left > 0; left -= block.length) {
        z.write(block, 0, (int) Math.min(left, block.length));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
