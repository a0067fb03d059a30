package decimerbeam.inference;

/** 8-bit single-channel pixels, row-major: the working format of DECIMER's middle steps. */
public record GrayImage(int width, int height, byte[] pixels) {

  public GrayImage {
    if ((long) width * height != pixels.length) {
      throw new IllegalArgumentException(
          "gray buffer of " + pixels.length + " bytes does not match " + width + "x" + height);
    }
  }

  int at(int x, int y) {
    return pixels[y * width + x] & 0xFF;
  }
}
