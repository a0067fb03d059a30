package decimerbeam.inference;

/** Raw 8-bit RGBA samples, row-major and interleaved, as Pillow's {@code convert("RGBA")} yields. */
public record RgbaImage(int width, int height, byte[] rgba) {

  public RgbaImage {
    if ((long) width * height * 4 != rgba.length) {
      throw new IllegalArgumentException(
          "RGBA buffer of " + rgba.length + " bytes does not match " + width + "x" + height);
    }
  }
}
