package decimerbeam.inference;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.image.ScaleAndTranslate;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;

/**
 * The image steps that must be bit-identical to Python DECIMER and therefore run as the same
 * TensorFlow kernels: PNG/JPEG decoding (libpng, libjpeg-turbo) and the Gaussian antialiased
 * resize plus ImageNet normalisation. One graph and session per JVM; {@code Session.run} is
 * thread-safe.
 */
final class TfImageOps implements AutoCloseable {

  static final int MODEL_SIDE = 512;
  private static final float[] NEG_MEAN = {-0.485f, -0.456f, -0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> encoded;
  private final Operand<TUint8> png8;
  private final Operand<TUint16> png16;
  private final Operand<TUint8> jpeg;
  private final Placeholder<TUint8> square;
  private final Placeholder<TFloat32> scale;
  private final Operand<TFloat32> modelInput;

  TfImageOps(ConfigProto config) {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    encoded = tf.withName("encoded").placeholder(TString.class);
    png8 = tf.image.decodePng(encoded, TUint8.class, DecodePng.channels(0L));
    png16 = tf.image.decodePng(encoded, TUint16.class, DecodePng.channels(0L));
    // Pillow decodes with libjpeg's accurate integer IDCT; TensorFlow defaults to the fast one.
    jpeg = tf.image.decodeJpeg(encoded, DecodeJpeg.channels(0L),
        DecodeJpeg.dctMethod("INTEGER_ACCURATE"));

    // tf.image.resize(img, (512, 512), method="gaussian", antialias=True) on a uint8 [S,S,3].
    square = tf.withName("square").placeholder(TUint8.class,
        Placeholder.shape(Shape.of(-1, -1, 3)));
    scale = tf.withName("scale").placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> resized = tf.image.scaleAndTranslate(
        tf.expandDims(square, tf.constant(0)),
        tf.constant(new int[] {MODEL_SIDE, MODEL_SIDE}),
        scale,
        tf.constant(new float[] {0f, 0f}),
        ScaleAndTranslate.kernelType("gaussian"),
        ScaleAndTranslate.antialias(true));
    modelInput = tf.squeeze(resized, Squeeze.axis(List.of(0L)));

    session = new Session(graph, config);
  }

  /** Decoded samples with their channel count, as TensorFlow's decoders return them. */
  record Decoded(int width, int height, int channels, int bitDepth, short[] samples16,
      byte[] samples8) {}

  Decoded decodePng(byte[] bytes, boolean sixteenBit) {
    return decode(bytes, sixteenBit ? png16 : png8, sixteenBit);
  }

  Decoded decodeJpeg(byte[] bytes) {
    return decode(bytes, jpeg, false);
  }

  private Decoded decode(byte[] bytes, Operand<?> op, boolean sixteenBit) {
    try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes));
        Result out = session.runner().feed(encoded, in).fetch(op).run()) {
      var tensor = out.get(0);
      Shape shape = tensor.shape();
      int h = (int) shape.get(0);
      int w = (int) shape.get(1);
      int c = (int) shape.get(2);
      if (sixteenBit) {
        short[] s = new short[Math.multiplyExact(Math.multiplyExact(w, h), c)];
        ((TUint16) tensor).asRawTensor().data().asShorts().read(s);
        return new Decoded(w, h, c, 16, s, null);
      }
      byte[] b = new byte[Math.multiplyExact(Math.multiplyExact(w, h), c)];
      tensor.asRawTensor().data().read(b);
      return new Decoded(w, h, c, 8, null, b);
    }
  }

  /**
   * Resizes a white-padded gray square (replicated to 3 channels, as DECIMER's PNG round trip
   * does) to the normalised float32 [512,512,3] model input.
   */
  float[] toModelInput(GrayImage squareGray) {
    int side = squareGray.width();
    byte[] rgb = new byte[side * side * 3];
    byte[] gray = squareGray.pixels();
    for (int i = 0, j = 0; i < gray.length; i++, j += 3) {
      rgb[j] = gray[i];
      rgb[j + 1] = gray[i];
      rgb[j + 2] = gray[i];
    }
    float s = (float) MODEL_SIDE / (float) side;
    try (TUint8 in = TUint8.tensorOf(Shape.of(side, side, 3), DataBuffers.of(rgb, true, false));
        TFloat32 sc = TFloat32.vectorOf(s, s);
        Result out = session.runner().feed(square, in).feed(scale, sc).fetch(modelInput).run()) {
      float[] values = new float[MODEL_SIDE * MODEL_SIDE * 3];
      ((TFloat32) out.get(0)).asRawTensor().data().asFloats().read(values);
      normalise(values);
      return values;
    }
  }

  /**
   * efficientnet's {@code preprocess_input(mode="torch")}: {@code ((v / 255) + (-mean)) / std}
   * per channel in float32, as eager TensorFlow evaluates it. Done here rather than in the graph
   * because graph optimisation rewrites division by a constant into a multiplication, which
   * changes the last bit.
   */
  static void normalise(float[] hwc) {
    for (int i = 0; i < hwc.length; i++) {
      int c = i % 3;
      hwc[i] = ((hwc[i] / 255f) + NEG_MEAN[c]) / STD[c];
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
