package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Turns image bytes into the RGBA samples Pillow's {@code Image.open(..).convert("RGBA")} gives.
 * Dimensions and the sample layout are read from the header first, so an absurd size, or samples
 * no drawing has, are refused before any pixel buffer is allocated. PNG and JPEG go through TensorFlow's libpng/libjpeg-turbo decoders
 * (Pillow's libraries); GIF, BMP and TIFF through ImageIO raw samples. No colour management.
 */
final class ImageDecoder {

  /** The most elements a Java array (one raster bank) can have. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final TfImageOps tf;
  private final long maxPixels;

  ImageDecoder(TfImageOps tf, long maxPixels) {
    this.tf = tf;
    this.maxPixels = maxPixels;
  }

  /**
   * The image's format, size and sample layout from its header only; an empty, unknown,
   * corrupt-header or over-limit image, or one whose samples cannot be a drawing, is refused
   * here, before any pixel buffer exists.
   */
  ImageHeader header(byte[] bytes) throws RecognitionException {
    if (bytes.length == 0) {
      throw new RecognitionException(Kind.UNREADABLE, "empty file (0 bytes)");
    }
    ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new RecognitionException(
        Kind.UNSUPPORTED_FORMAT,
        "not a PNG, JPEG, GIF, BMP or TIFF image (first bytes: "
            + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length)) + ")"));
    ImageHeader header;
    if (format == ImageFormat.PNG) {
      // IHDR is the first chunk: width, height, bit depth and colour type at fixed offsets.
      if (bytes.length < 33) {
        throw new RecognitionException(Kind.UNREADABLE, "truncated PNG: no complete IHDR chunk");
      }
      int bitDepth = bytes[24] & 0xFF;
      int channels = switch (bytes[25] & 0xFF) {
        case 0 -> 1;
        case 2 -> 3;
        case 4 -> 2;
        default -> 4; // RGBA, or a palette that may expand to RGBA
      };
      // TensorFlow decodes into 8-bit samples, or 16-bit ones for a 16-bit PNG.
      header = new ImageHeader(format, readUint32(bytes, 16), readUint32(bytes, 20),
          SampleLayout.interleaved(channels, bitDepth == 16 ? 16 : 8));
    } else if (format == ImageFormat.JPEG) {
      long[] size = withReader(bytes, format, "unreadable header of ",
          reader -> new long[] {reader.getWidth(0), reader.getHeight(0)});
      header = new ImageHeader(format, size[0], size[1], SampleLayout.JPEG_DECODED);
    } else {
      header = withReader(bytes, format, "unreadable header of ",
          reader -> new ImageHeader(format, reader.getWidth(0), reader.getHeight(0),
              rasterLayout(reader)));
    }
    checkSize(header.width(), header.height());
    checkLayout(header);
    return header;
  }

  /**
   * The heaviest of the layouts the header tells: the one its metadata declares and the reader's
   * raw and default image types. A declared floating-point layout is kept without asking the
   * reader for image types it may not have.
   */
  private static SampleLayout rasterLayout(ImageReader reader)
      throws IOException, RecognitionException {
    SampleLayout declared = declaredLayout(reader);
    if (declared != null && declared.floating()) {
      return declared;
    }
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    List<SampleLayout> known = Stream.of(declared, layoutOf(reader.getRawImageType(0)),
        layoutOf(types.hasNext() ? types.next() : null)).filter(Objects::nonNull).toList();
    return known.stream().filter(SampleLayout::floating).findFirst()
        .or(() -> known.stream().max(Comparator.comparingInt(SampleLayout::bitsPerPixel)))
        .orElseThrow(() -> new RecognitionException(Kind.UNSUPPORTED_FORMAT,
            "the decoder names no sample layout for this image, so its memory has no bound"));
  }

  private static SampleLayout declaredLayout(ImageReader reader) throws RecognitionException {
    IIOMetadata metadata;
    try {
      metadata = reader.getImageMetadata(0);
    } catch (IOException | RuntimeException e) {
      return null; // the reader's image types still bound the raster
    }
    try {
      return SampleLayout.declared(metadata);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new RecognitionException(Kind.UNSUPPORTED_FORMAT,
          "samples of a kind no raster holds: " + e.getMessage(), e);
    }
  }

  private static SampleLayout layoutOf(ImageTypeSpecifier type) throws RecognitionException {
    if (type == null) {
      return null;
    }
    try {
      return SampleLayout.of(type);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new RecognitionException(Kind.UNSUPPORTED_FORMAT,
          "samples of a kind no raster holds: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses samples that cannot be a drawing and rasters no array can hold, with the numbers,
   * before a buffer is allocated.
   */
  private static void checkLayout(ImageHeader h) throws RecognitionException {
    SampleLayout layout = h.layout();
    long elements;
    long bytes;
    try {
      elements = layout.rasterElements(h.width(), h.height());
      bytes = layout.rasterBytes(h.width(), h.height());
    } catch (ArithmeticException e) {
      throw new RecognitionException(Kind.TOO_LARGE, layout.describe() + ", " + h.size()
          + ": a raster whose size passes 2^63 bytes", e);
    }
    String what = layout.describe() + ", " + h.size() + ": " + WorkingMemory.mib(bytes)
        + " raster";
    if (layout.floating()) {
      // Drawings are stored as integer samples; mapping floats to gray would be a guess.
      throw new RecognitionException(Kind.UNSUPPORTED_FORMAT, what
          + "; floating-point samples are measurements, not a drawing");
    }
    // One raster bank is one Java array.
    long perBank = layout.planar() ? elements / layout.samplesPerPixel() : elements;
    if (perBank > MAX_ARRAY) {
      throw new RecognitionException(Kind.TOO_LARGE, what + " of " + perBank
          + " elements in one array; a Java array holds at most " + MAX_ARRAY);
    }
  }

  RgbaImage decode(byte[] bytes) throws RecognitionException {
    ImageHeader header = header(bytes);
    try {
      return switch (header.format()) {
        case PNG -> toRgba(tf.decodePng(bytes, header.layout().elementBits() == 16));
        case JPEG -> toRgba(tf.decodeJpeg(bytes));
        default -> decodeWithImageIo(bytes, header.format());
      };
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new RecognitionException(Kind.UNREADABLE,
          "corrupt or truncated " + header.format() + ": " + firstLine(e.getMessage()), e);
    }
  }

  private void checkSize(long width, long height) throws RecognitionException {
    if (width <= 0 || height <= 0) {
      throw new RecognitionException(Kind.UNREADABLE,
          "image header gives an empty size " + width + "x" + height);
    }
    // Both sides may be up to 2^32 - 1: compare by division, as their product can pass 2^63.
    if (width > maxPixels / height) {
      throw new RecognitionException(Kind.TOO_LARGE, "image of " + width + "x" + height + " = "
          + java.math.BigInteger.valueOf(width).multiply(java.math.BigInteger.valueOf(height))
          + " pixels exceeds the limit of " + maxPixels + " pixels");
    }
  }

  private static RgbaImage toRgba(TfImageOps.Decoded d) {
    int n = Math.multiplyExact(d.width(), d.height());
    int c = d.channels();
    byte[] out = new byte[Math.multiplyExact(n, 4)];
    for (int i = 0; i < n; i++) {
      int r;
      int g;
      int b;
      int a = 255;
      if (c <= 2) {
        r = g = b = sample(d, i * c, true);
        if (c == 2) {
          a = sample(d, i * c + 1, false);
        }
      } else {
        r = sample(d, i * c, false);
        g = sample(d, i * c + 1, false);
        b = sample(d, i * c + 2, false);
        if (c == 4) {
          a = sample(d, i * c + 3, false);
        }
      }
      out[i * 4] = (byte) r;
      out[i * 4 + 1] = (byte) g;
      out[i * 4 + 2] = (byte) b;
      out[i * 4 + 3] = (byte) a;
    }
    return new RgbaImage(d.width(), d.height(), out);
  }

  /**
   * One 8-bit sample. 16-bit PNGs follow Pillow: plain gray opens as "I;16" and is clipped at
   * 255 by convert("RGBA"); every other 16-bit layout keeps the high byte.
   */
  private static int sample(TfImageOps.Decoded d, int index, boolean grayValue) {
    if (d.bitDepth() == 16) {
      int v = d.samples16()[index] & 0xFFFF;
      return grayValue && d.channels() == 1 ? Math.min(v, 255) : v >> 8;
    }
    return d.samples8()[index] & 0xFF;
  }

  private RgbaImage decodeWithImageIo(byte[] bytes, ImageFormat format)
      throws RecognitionException {
    return withReader(bytes, format, "corrupt or truncated ",
        reader -> fromRaster(reader.read(0)));
  }

  private interface ReaderWork<T> {
    T apply(ImageReader reader) throws IOException, RecognitionException;
  }

  /** Runs {@code work} on an ImageIO reader for the bytes; I/O trouble becomes UNREADABLE. */
  private static <T> T withReader(byte[] bytes, ImageFormat format, String problem,
      ReaderWork<T> work) throws RecognitionException {
    ImageReader reader = null;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      reader = readerFor(in, format);
      return work.apply(reader);
    } catch (IOException | RuntimeException e) {
      throw new RecognitionException(Kind.UNREADABLE,
          problem + format + ": " + firstLine(String.valueOf(e.getMessage())), e);
    } finally {
      if (reader != null) {
        reader.dispose();
      }
    }
  }

  private static ImageReader readerFor(ImageInputStream in, ImageFormat format)
      throws RecognitionException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new RecognitionException(Kind.UNSUPPORTED_FORMAT, "no decoder for this " + format);
    }
    ImageReader reader = readers.next();
    reader.setInput(in, true, true);
    return reader;
  }

  /** Raw raster samples mapped the way Pillow converts P, L, LA, RGB, RGBA and CMYK to RGBA. */
  private static RgbaImage fromRaster(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    int bands = raster.getNumBands();
    int bits = cm.getComponentSize(0);
    boolean cmyk = cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK;
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 4)];
    int[] px = new int[bands];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 4;
        int r;
        int g;
        int b;
        int a = 255;
        if (cm instanceof IndexColorModel icm) {
          int idx = raster.getSample(x, y, 0);
          r = icm.getRed(idx);
          g = icm.getGreen(idx);
          b = icm.getBlue(idx);
          a = icm.getAlpha(idx);
        } else if (bands == 1 && cm.getNumComponents() == 3) {
          // Packed pixels (e.g. 16/32-bit BMP): the colour model unpacks the masks.
          Object data = raster.getDataElements(x, y, null);
          r = cm.getRed(data);
          g = cm.getGreen(data);
          b = cm.getBlue(data);
          a = cm.hasAlpha() ? cm.getAlpha(data) : 255;
        } else {
          raster.getPixel(x, y, px);
          for (int i = 0; i < bands; i++) {
            px[i] = bits > 8 ? px[i] >> (bits - 8) : px[i];
          }
          if (cmyk && bands >= 4) {
            int nk = 255 - px[3];
            r = clip8(nk - px[0] * nk / 255);
            g = clip8(nk - px[1] * nk / 255);
            b = clip8(nk - px[2] * nk / 255);
          } else if (bands <= 2) {
            r = g = b = px[0];
            if (bands == 2) {
              a = px[1];
            }
          } else {
            r = px[0];
            g = px[1];
            b = px[2];
            if (bands >= 4) {
              a = px[3];
            }
          }
        }
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
        out[o + 3] = (byte) a;
      }
    }
    return new RgbaImage(w, h, out);
  }

  private static int clip8(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static long readUint32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
