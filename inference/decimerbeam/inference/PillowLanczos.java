package decimerbeam.inference;

/**
 * Pillow's {@code Image.resize(size, LANCZOS)} for 8-bit gray images: separable, horizontal pass
 * first, double-precision Lanczos-3 weights quantised to 22-bit fixed point, rounding and
 * clamping to 8 bits after each pass ({@code libImaging/Resample.c}).
 */
final class PillowLanczos {

  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 3.0;

  private PillowLanczos() {}

  static GrayImage resize(GrayImage in, int outWidth, int outHeight) {
    Coefficients horiz = Coefficients.of(in.width(), outWidth);
    Coefficients vert = Coefficients.of(in.height(), outHeight);
    boolean needHorizontal = outWidth != in.width();
    boolean needVertical = outHeight != in.height();
    GrayImage current = in;
    if (needHorizontal) {
      // Only the source rows the vertical pass reads are resampled horizontally.
      int firstRow = vert.bounds[0];
      int lastRow = vert.bounds[(outHeight - 1) * 2] + vert.bounds[(outHeight - 1) * 2 + 1];
      for (int i = 0; i < outHeight; i++) {
        vert.bounds[i * 2] -= firstRow;
      }
      current = horizontal(current, firstRow, lastRow - firstRow, horiz);
    }
    if (needVertical) {
      current = vertical(current, outHeight, vert);
    }
    return current;
  }

  private static GrayImage horizontal(GrayImage in, int rowOffset, int rows, Coefficients c) {
    int outW = c.outSize;
    byte[] src = in.pixels();
    byte[] out = new byte[outW * rows];
    for (int y = 0; y < rows; y++) {
      int rowStart = (y + rowOffset) * in.width();
      for (int x = 0; x < outW; x++) {
        int xmin = c.bounds[x * 2];
        int xmax = c.bounds[x * 2 + 1];
        int k = x * c.ksize;
        int ss = 1 << (PRECISION_BITS - 1);
        for (int i = 0; i < xmax; i++) {
          ss += (src[rowStart + xmin + i] & 0xFF) * c.weights[k + i];
        }
        out[y * outW + x] = clip8(ss);
      }
    }
    return new GrayImage(outW, rows, out);
  }

  private static GrayImage vertical(GrayImage in, int outH, Coefficients c) {
    int w = in.width();
    byte[] src = in.pixels();
    byte[] out = new byte[w * outH];
    for (int y = 0; y < outH; y++) {
      int ymin = c.bounds[y * 2];
      int ymax = c.bounds[y * 2 + 1];
      int k = y * c.ksize;
      for (int x = 0; x < w; x++) {
        int ss = 1 << (PRECISION_BITS - 1);
        for (int i = 0; i < ymax; i++) {
          ss += (src[(ymin + i) * w + x] & 0xFF) * c.weights[k + i];
        }
        out[y * w + x] = clip8(ss);
      }
    }
    return new GrayImage(w, outH, out);
  }

  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    x = x * Math.PI;
    return Math.sin(x) / x;
  }

  private static double lanczos(double x) {
    return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0.0;
  }

  /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis. */
  private record Coefficients(int outSize, int ksize, int[] bounds, int[] weights) {

    static Coefficients of(int inSize, int outSize) {
      double scale = (double) ((float) inSize - 0f) / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int ksize = (int) Math.ceil(support) * 2 + 1;
      int[] bounds = new int[outSize * 2];
      int[] weights = new int[outSize * ksize];
      double[] k = new double[ksize];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ww = 0.0;
        double ss = 1.0 / filterScale;
        int xmin = (int) (center - support + 0.5);
        if (xmin < 0) {
          xmin = 0;
        }
        int xmax = (int) (center + support + 0.5);
        if (xmax > inSize) {
          xmax = inSize;
        }
        xmax -= xmin;
        for (int x = 0; x < xmax; x++) {
          double w = lanczos((x + xmin - center + 0.5) * ss);
          k[x] = w;
          ww += w;
        }
        for (int x = 0; x < ksize; x++) {
          double v = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
          weights[xx * ksize + x] = v < 0
              ? (int) (-0.5 + v * (1 << PRECISION_BITS))
              : (int) (0.5 + v * (1 << PRECISION_BITS));
        }
        bounds[xx * 2] = xmin;
        bounds[xx * 2 + 1] = xmax;
      }
      return new Coefficients(outSize, ksize, bounds, weights);
    }
  }
}
