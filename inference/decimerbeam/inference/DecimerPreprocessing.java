package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;

/**
 * DECIMER 2.8's {@code pre_process.decode_image}, steps A to G, on raw samples with the integer
 * and float32 arithmetic of Pillow, NumPy and OpenCV so the output is bit-identical. Steps H to J
 * (3 channels, Gaussian resize, normalisation) run in TensorFlow: see {@link TfImageOps}.
 */
final class DecimerPreprocessing {

  static final int MIN_SIDE = 512;

  private DecimerPreprocessing() {}

  /** A to G: the white-padded, brightened gray square that DECIMER saves as PNG. */
  static GrayImage toSquare(RgbaImage decoded) throws RecognitionException {
    return brighten(padToSquare(toCropped(decoded)));
  }

  /**
   * A to E: the gray image cropped to its ink. F and G (pad, brighten) are left to {@link
   * TfImageOps#toModelInputFromCrop}, which writes the square where TensorFlow reads it.
   */
  static GrayImage toCropped(RgbaImage decoded) throws RecognitionException {
    RgbaImage opaque = compositeOnWhite(decoded);
    rejectUniform(opaque);
    RgbaImage stretched = stretchContrast(opaque);
    GrayImage gray = toGrayWithContrast(stretched);
    GrayImage sized = upscaleSmall(gray);
    return cropToInk(sized);
  }

  /** F's side for a {@code w x h} crop: max(512, int(1.2 x the long side)), without overflow. */
  static long squareSide(long w, long h) {
    return Math.max(MIN_SIDE, (long) (1.2 * Math.max(w, h)));
  }

  /** G as a table: every gray value brightened by 1.6. */
  static byte[] brightnessTable() {
    byte[] lut = new byte[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = blend(0, v, 1.6f);
    }
    return lut;
  }

  /** A. {@code Image.alpha_composite(white, img)}: Pillow's fixed-point formula, dst alpha 255. */
  static RgbaImage compositeOnWhite(RgbaImage in) {
    byte[] src = in.rgba();
    byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i += 4) {
      int a = src[i + 3] & 0xFF;
      if (a == 0) {
        out[i] = out[i + 1] = out[i + 2] = out[i + 3] = (byte) 255;
        continue;
      }
      long outa255 = a * 255L + 255L * (255 - a);
      long coef1 = a * 255L * 255L * 128L / outa255;
      long coef2 = 255L * 128L - coef1;
      for (int c = 0; c < 3; c++) {
        long tmp = (src[i + c] & 0xFF) * coef1 + 255L * coef2 + (0x80L << 7);
        out[i + c] = (byte) (shiftForDiv255(tmp) >> 7);
      }
      out[i + 3] = (byte) shiftForDiv255(outa255 + 0x80);
    }
    return new RgbaImage(in.width(), in.height(), out);
  }

  private static long shiftForDiv255(long x) {
    return ((x >> 8) + x) >> 8;
  }

  /**
   * DECIMER turns a single-colour image into an all-black square (its contrast LUT degenerates)
   * and then reads a made-up molecule from it; refusing it is the honest answer.
   */
  static void rejectUniform(RgbaImage opaque) throws RecognitionException {
    byte[] px = opaque.rgba();
    for (int i = 4; i < px.length; i++) {
      if (px[i] != px[i & 3]) {
        return;
      }
    }
    throw new RecognitionException(Kind.BLANK_IMAGE, "image is a single uniform colour");
  }

  /**
   * B. {@code increase_contrast}: a LUT that stretches [min, max] of all four channels to
   * [0, 255] as {@code np.linspace(..., dtype=uint8)} floors it; values outside map to 0.
   */
  static RgbaImage stretchContrast(RgbaImage in) {
    byte[] src = in.rgba();
    int min = 255;
    int max = 0;
    for (byte v : src) {
      int u = v & 0xFF;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    int[] lut = new int[256];
    int n = max - min + 1;
    if (n > 1) {
      double step = 255.0 / (n - 1);
      for (int i = 0; i < n; i++) {
        lut[min + i] = (int) Math.floor(i * step);
      }
      lut[max] = 255;
    }
    byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = (byte) lut[src[i] & 0xFF];
    }
    return new RgbaImage(in.width(), in.height(), out);
  }

  /**
   * C. {@code cv2.cvtColor(rgba, COLOR_BGR2GRAY)} on RGB-ordered data (so red gets the blue
   * weight), then {@code ImageEnhance.Contrast(..).enhance(1.8)} in float32 with truncation.
   */
  static GrayImage toGrayWithContrast(RgbaImage in) {
    byte[] src = in.rgba();
    int n = Math.multiplyExact(in.width(), in.height());
    byte[] gray = new byte[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      int c0 = src[i * 4] & 0xFF;
      int c1 = src[i * 4 + 1] & 0xFF;
      int c2 = src[i * 4 + 2] & 0xFF;
      int g = (c0 * 1868 + c1 * 9617 + c2 * 4899 + (1 << 13)) >> 14;
      gray[i] = (byte) g;
      sum += g;
    }
    int mean = (int) ((double) sum / n + 0.5);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = blend(mean, gray[i] & 0xFF, 1.8f);
    }
    return new GrayImage(in.width(), in.height(), out);
  }

  /** Pillow's {@code ImagingBlend} for one sample: float32, clamped, truncated. */
  private static byte blend(int degenerate, int value, float factor) {
    float temp = (float) degenerate + factor * (float) (value - degenerate);
    if (temp <= 0.0f) {
      return 0;
    }
    if (temp >= 255.0f) {
      return (byte) 255;
    }
    return (byte) (int) temp;
  }

  /**
   * D. {@code get_resize}: square images under 512 go to 512x512; other images with both sides
   * under 512 scale so the long side is 512 (sizes truncated); larger images stay as they are.
   */
  static GrayImage upscaleSmall(GrayImage in) {
    int w = in.width();
    int h = in.height();
    if (w == h && w < MIN_SIDE) {
      return PillowLanczos.resize(in, MIN_SIDE, MIN_SIDE);
    }
    if (w >= MIN_SIDE || h >= MIN_SIDE) {
      return in;
    }
    double ratio = (double) MIN_SIDE / Math.max(w, h);
    return PillowLanczos.resize(in, (int) (w * ratio), (int) (h * ratio));
  }

  /** E. {@code delete_empty_borders}: crop to the bounding box of pixels at or below 200. */
  static GrayImage cropToInk(GrayImage in) throws RecognitionException {
    int w = in.width();
    int h = in.height();
    int top = h;
    int bottom = -1;
    int left = w;
    int right = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (in.at(x, y) <= 200) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    if (bottom < 0) {
      throw new RecognitionException(Kind.BLANK_IMAGE,
          "no dark pixels after contrast enhancement: nothing to recognise");
    }
    int cw = right - left + 1;
    int ch = bottom - top + 1;
    byte[] out = new byte[Math.multiplyExact(cw, ch)];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(in.pixels(), (top + y) * w + left, out, y * cw, cw);
    }
    return new GrayImage(cw, ch, out);
  }

  /** F. {@code central_square_image}: centre on a white square of max(512, int(1.2 * side)). */
  static GrayImage padToSquare(GrayImage in) {
    int w = in.width();
    int h = in.height();
    int side = Math.toIntExact(squareSide(w, h));
    byte[] out = new byte[Math.multiplyExact(side, side)];
    java.util.Arrays.fill(out, (byte) 255);
    int x0 = (side - w) / 2;
    int y0 = (side - h) / 2;
    for (int y = 0; y < h; y++) {
      System.arraycopy(in.pixels(), y * w, out, (y0 + y) * side + x0, w);
    }
    return new GrayImage(side, side, out);
  }

  /** G. {@code ImageEnhance.Brightness(..).enhance(1.6)}: a blend with black. */
  static GrayImage brighten(GrayImage in) {
    byte[] src = in.pixels();
    byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = blend(0, src[i] & 0xFF, 1.6f);
    }
    return new GrayImage(in.width(), in.height(), out);
  }
}
