package decimerbeam.inference;

import java.util.Locale;
import java.util.Optional;

/** Image formats the engine decodes, recognised by their magic bytes, never by file name. */
public enum ImageFormat {
  PNG,
  JPEG,
  GIF,
  BMP,
  TIFF;

  /** File-name extensions that listing treats as images (lower case, no dot). */
  public static boolean hasImageExtension(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif")
        || n.endsWith(".bmp") || n.endsWith(".tif") || n.endsWith(".tiff");
  }

  static Optional<ImageFormat> sniff(byte[] b) {
    if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      return Optional.of(GIF);
    }
    if (startsWith(b, 'B', 'M')) {
      return Optional.of(BMP);
    }
    if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42)) {
      return Optional.of(TIFF);
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
