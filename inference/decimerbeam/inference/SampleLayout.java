package decimerbeam.inference;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * How a decoded image holds its samples, known before any pixel is decoded: what the pixel
 * buffer of {@code w x h} will weigh, whatever the format packs into a pixel.
 *
 * @param samplesPerPixel bands of the decoded raster (1 for a palette index or packed pixel)
 * @param bitsPerSample the widest sample's significant bits
 * @param elementBits bits of the buffer element that stores samples (8, 16, 32 or 64)
 * @param bitsPerPixel buffer bits one pixel takes; rows are padded to whole elements
 * @param floating samples are IEEE floats or doubles rather than integers
 * @param planar each sample has a plane of its own (same weight as interleaved)
 * @param palette samples are indices into a colour table
 */
public record SampleLayout(int samplesPerPixel, int bitsPerSample, int elementBits,
    int bitsPerPixel, boolean floating, boolean planar, boolean palette) {

  /** Up to CMYK or RGBA in 8 bits: what TensorFlow's JPEG decoder can return. */
  public static final SampleLayout JPEG_DECODED = interleaved(4, 8);

  public SampleLayout {
    if (samplesPerPixel <= 0 || bitsPerSample <= 0 || elementBits <= 0 || bitsPerPixel <= 0) {
      throw new IllegalArgumentException("empty sample layout " + samplesPerPixel + " x "
          + bitsPerSample + " bits");
    }
  }

  /** Integer samples, one buffer element each, side by side in each pixel. */
  public static SampleLayout interleaved(int samplesPerPixel, int bits) {
    return new SampleLayout(samplesPerPixel, bits, bits, samplesPerPixel * bits, false, false,
        false);
  }

  /**
   * The layout of the raster an ImageIO reader allocates for {@code type}, from its sample and
   * colour models, which the reader builds from the header alone.
   *
   * @throws IllegalArgumentException a buffer type no raster can hold
   */
  public static SampleLayout of(ImageTypeSpecifier type) {
    SampleModel sm = type.getSampleModel();
    int dataType = sm.getDataType();
    int elementBits = DataBuffer.getDataTypeSize(dataType); // throws for TYPE_UNDEFINED
    int widest = Arrays.stream(sm.getSampleSize()).max().orElse(elementBits);
    int bands = sm.getNumBands();
    int perPixel;
    boolean planar = false;
    if (sm instanceof MultiPixelPackedSampleModel packed) {
      perPixel = packed.getPixelBitStride();
    } else if (sm instanceof SinglePixelPackedSampleModel) {
      perPixel = elementBits;
    } else if (sm instanceof ComponentSampleModel component) {
      perPixel = Math.multiplyExact(bands, elementBits);
      planar = Arrays.stream(component.getBankIndices()).distinct().count() > 1;
    } else {
      // An unknown model: no fewer bits than one element per band, or the bands' sizes summed.
      perPixel = Math.max(Math.multiplyExact(bands, elementBits),
          Arrays.stream(sm.getSampleSize()).sum());
    }
    boolean floating = dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE;
    return new SampleLayout(bands, widest, elementBits, perPixel, floating, planar,
        type.getColorModel() instanceof IndexColorModel);
  }

  /**
   * The layout a TIFF's own fields declare (SamplesPerPixel, BitsPerSample, SampleFormat,
   * PlanarConfiguration, a palette's PhotometricInterpretation), read from the reader's native
   * metadata, each sample held in one element as a reader that keeps every sample holds it; null
   * where the metadata has no TIFF fields. This bounds what the reader allocates even where its
   * image type keeps fewer bands than the file has.
   *
   * @throws IllegalArgumentException samples wider than 64 bits, or of no width
   */
  public static SampleLayout declared(IIOMetadata metadata) {
    if (metadata == null || metadata.getNativeMetadataFormatName() == null) {
      return null;
    }
    Node tree = metadata.getAsTree(metadata.getNativeMetadataFormatName());
    Map<Integer, int[]> fields = new HashMap<>();
    collectTiffFields(tree, fields);
    if (fields.isEmpty()) {
      return null;
    }
    int[] bits = fields.getOrDefault(258, new int[] {1});
    int[] format = fields.getOrDefault(339, new int[] {1});
    int samples = Math.max(first(fields.get(277), 1), bits.length);
    int widest = Arrays.stream(bits).max().orElse(1);
    if (Arrays.stream(bits).min().orElse(1) <= 0 || widest > 64) {
      throw new IllegalArgumentException(samples + " samples of " + Arrays.toString(bits)
          + " bits");
    }
    boolean palette = first(fields.get(262), -1) == 3;
    // SampleFormat 3 is IEEE floating point, 6 complex floating point.
    boolean floating = Arrays.stream(format).anyMatch(f -> f == 3 || f == 6);
    int element = widest <= 8 ? 8 : widest <= 16 ? 16 : widest <= 32 ? 32 : 64;
    // A single sample under a byte is packed, several pixels to a byte.
    int perPixel = samples == 1 && widest < 8 ? widest : Math.multiplyExact(samples, element);
    return new SampleLayout(samples, widest, element, perPixel, floating,
        samples > 1 && first(fields.get(284), 1) == 2, palette);
  }

  private static int first(int[] values, int absent) {
    return values == null || values.length == 0 ? absent : values[0];
  }

  /**
   * TIFFField number → its values, from the TIFF native metadata tree of JDK or JAI form; the
   * fields of sub-IFDs (EXIF, GPS) sit inside a field and are not taken for the image's own.
   */
  private static void collectTiffFields(Node node, Map<Integer, int[]> fields) {
    for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
      Node number = n.getAttributes() == null ? null : n.getAttributes().getNamedItem("number");
      if (n.getNodeName().equals("TIFFField") && number != null) {
        List<Integer> values = new ArrayList<>();
        collectValues(n, values);
        fields.putIfAbsent(Integer.parseInt(number.getNodeValue()),
            values.stream().mapToInt(Integer::intValue).toArray());
      } else {
        collectTiffFields(n, fields);
      }
    }
  }

  private static void collectValues(Node field, List<Integer> values) {
    for (Node n = field.getFirstChild(); n != null; n = n.getNextSibling()) {
      Node value = n.getAttributes() == null ? null : n.getAttributes().getNamedItem("value");
      if (value != null) {
        try {
          values.add(Integer.parseInt(value.getNodeValue().trim()));
        } catch (NumberFormatException notAnInteger) {
          // a rational or text value: not one of the layout's fields
        }
      }
      collectValues(n, values);
    }
  }

  /** Buffer elements of a {@code w x h} raster; one Java array holds at most 2^31 - 1. */
  public long rasterElements(long w, long h) {
    long bitsPerRow = Math.multiplyExact(w, bitsPerPixel);
    return Math.multiplyExact(h, (bitsPerRow + elementBits - 1) / elementBits);
  }

  /** Bytes of a {@code w x h} raster in this layout. */
  public long rasterBytes(long w, long h) {
    return Math.multiplyExact(rasterElements(w, h), elementBits / 8L);
  }

  /** E.g. "16 float32 samples per pixel", "3 uint8 samples per pixel, planar", "1-bit palette". */
  public String describe() {
    if (palette) {
      return bitsPerSample + "-bit palette";
    }
    String kind = floating ? "float" + elementBits
        : bitsPerSample < elementBits ? bitsPerSample + "-bit" : "uint" + elementBits;
    return String.format(Locale.ROOT, "%d %s sample%s per pixel%s", samplesPerPixel, kind,
        samplesPerPixel == 1 ? "" : "s", planar ? ", planar" : "");
  }
}
