package decimerbeam.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * A small picture of an image for review.html, as a {@code data:} URI: at most {@value #MAX_SIDE}
 * px a side, PNG (line drawings stay sharp) or JPEG when that is smaller, never more than
 * {@value #MAX_BYTES} bytes. Plain {@code javax.imageio}: formats it cannot read get none.
 */
public final class Thumbnail {

  public static final int MAX_SIDE = 160;
  public static final int MAX_BYTES = 16 * 1024;

  private Thumbnail() {}

  /**
   * The thumbnail of {@code image}, or empty when it cannot be made: a review page shows a
   * placeholder then, and the row itself is unaffected.
   */
  public static Optional<String> of(byte[] image) {
    try {
      BufferedImage decoded = decode(image);
      if (decoded == null) {
        return Optional.empty();
      }
      BufferedImage small = shrink(decoded);
      byte[] png = encode(small, "png");
      String type = "png";
      byte[] best = png;
      if (png.length > MAX_BYTES / 2) {
        byte[] jpeg = encode(small, "jpeg");
        if (jpeg.length < png.length) {
          best = jpeg;
          type = "jpeg";
        }
      }
      if (best.length == 0 || best.length > MAX_BYTES) {
        return Optional.empty();
      }
      return Optional.of("data:image/" + type + ";base64,"
          + Base64.getEncoder().encodeToString(best));
    } catch (IOException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * Decodes with source subsampling, so a large image is never held at full size: only every
   * n-th pixel is read, n chosen to leave about twice the thumbnail's side to smooth from.
   */
  private static BufferedImage decode(byte[] image) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int side = Math.max(reader.getWidth(0), reader.getHeight(0));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, side / (2 * MAX_SIDE));
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Scales to fit {@value #MAX_SIDE} px, over white (transparent drawings stay readable). */
  private static BufferedImage shrink(BufferedImage src) {
    int w = src.getWidth();
    int h = src.getHeight();
    double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * scale));
    int th = Math.max(1, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, tw, th);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, tw, th, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format.equals("jpeg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.85f);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
