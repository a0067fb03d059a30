package decimerbeam.inference;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.image.ScaleAndTranslate;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;
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

    // tf.image.resize(img, (512, 512), method="gaussian", antialias=True) on a uint8 [S,S,3]
    // whose channels are equal: the kernel treats channels alike, so one gray channel is
    // resized and then repeated, which gives the same floats with a third of the memory.
    square = tf.withName("square").placeholder(TUint8.class,
        Placeholder.shape(Shape.of(-1, -1, 1)));
    scale = tf.withName("scale").placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> resized = tf.image.scaleAndTranslate(
        tf.expandDims(square, tf.constant(0)),
        tf.constant(new int[] {MODEL_SIDE, MODEL_SIDE}),
        scale,
        tf.constant(new float[] {0f, 0f}),
        ScaleAndTranslate.kernelType("gaussian"),
        ScaleAndTranslate.antialias(true));
    modelInput = tf.tile(tf.squeeze(resized, Squeeze.axis(List.of(0L))),
        tf.constant(new int[] {1, 1, 3}));

    session = new Session(graph, config);
  }

  /** Decoded samples with their channel count, as TensorFlow's decoders return them. */
  record Decoded(int width, int height, int channels, int bitDepth, short[] samples16,
      byte[] samples8) {}

  /** Run options that make TensorFlow itself abandon a call after {@code timeoutMillis}. */
  static RunOptions deadline(long timeoutMillis) {
    return RunOptions.newBuilder().setTimeoutInMs(Math.max(0, timeoutMillis)).build();
  }

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
    byte[] gray = squareGray.pixels();
    try (TUint8 in = TUint8.tensorOf(Shape.of(side, side, 1),
        t -> t.asRawTensor().data().write(gray))) {
      return resize(in, side, 0);
    }
  }

  /**
   * Steps F to J from the cropped gray image: the square of {@code max(512, int(1.2 x side))}
   * is padded and brightened straight into TensorFlow's memory, one row at a time, so the Java
   * heap never holds it (for a 24000x200 strip it is 28800 x 28800 bytes). Brightening commutes
   * with padding, as white stays white: the result is DECIMER's square to the bit.
   */
  float[] toModelInputFromCrop(GrayImage cropped, long timeoutMillis) {
    int w = cropped.width();
    int h = cropped.height();
    int side = Math.toIntExact(DecimerPreprocessing.squareSide(w, h));
    byte[] lut = DecimerPreprocessing.brightnessTable();
    byte[] white = new byte[side];
    java.util.Arrays.fill(white, lut[255]);
    int x0 = (side - w) / 2;
    int y0 = (side - h) / 2;
    byte[] px = cropped.pixels();
    try (TUint8 in = TUint8.tensorOf(Shape.of(side, side, 1), t -> {
      ByteDataBuffer data = t.asRawTensor().data();
      byte[] row = white.clone();
      for (int y = 0; y < side; y++) {
        ByteDataBuffer target = data.offset((long) y * side);
        if (y < y0 || y >= y0 + h) {
          target.write(white);
          continue;
        }
        int from = (y - y0) * w;
        for (int x = 0; x < w; x++) {
          row[x0 + x] = lut[px[from + x] & 0xFF];
        }
        target.write(row);
      }
    })) {
      return resize(in, side, timeoutMillis);
    }
  }

  private float[] resize(TUint8 square1, int side, long timeoutMillis) {
    float s = (float) MODEL_SIDE / (float) side;
    Session.Runner runner = session.runner().feed(square, square1);
    if (timeoutMillis > 0) {
      runner.setOptions(deadline(timeoutMillis));
    }
    try (TFloat32 sc = TFloat32.vectorOf(s, s);
        Result out = runner.feed(scale, sc).fetch(modelInput).run()) {
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
