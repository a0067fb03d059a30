package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The DECIMER model loaded once, shared by every thread that calls {@link #recognize}. Image
 * bytes go through DECIMER's exact preprocessing, the model's greedy decoder, and DECIMER's
 * detokenisation.
 */
public final class DecimerEngine implements Recognizer {

  private static final Logger LOG = LoggerFactory.getLogger(DecimerEngine.class);
  static final String SIGNATURE = "serving_default";
  static final String INPUT = "image";
  static final String TOKENS = "tokens";
  static final String CONFIDENCES = "confidences";

  private final PreparedModel model;
  private final SavedModelBundle bundle;
  private final SessionFunction serve;
  private final TfImageOps imageOps;
  private final ImageDecoder decoder;
  private final TokenDecoder tokens;
  private final long loadMillis;

  private DecimerEngine(PreparedModel model, EngineSettings settings) throws IOException {
    long start = System.nanoTime();
    this.model = model;
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(settings.intraOpThreads())
        .setInterOpParallelismThreads(settings.interOpThreads())
        .build();
    this.tokens = TokenDecoder.fromJson(model.indexWordJson());
    this.bundle = SavedModelBundle.loader(model.savedModelDir().toString())
        .withTags("serve").withConfigProto(config).load();
    try {
      this.serve = bundle.function(SIGNATURE);
    } catch (IllegalArgumentException e) {
      bundle.close();
      throw new IOException("model at " + model.savedModelDir() + " has no '" + SIGNATURE
          + "' signature; prepare it again with `prepare-model`", e);
    }
    this.imageOps = new TfImageOps(config);
    this.decoder = new ImageDecoder(imageOps, settings.maxPixels());
    this.loadMillis = (System.nanoTime() - start) / 1_000_000;
    LOG.info("Loaded model {} from {} in {} ms", model.modelId(), model.root(), loadMillis);
  }

  /** Loads a prepared model; the caller owns the engine and closes it once. */
  public static DecimerEngine load(PreparedModel model, EngineSettings settings)
      throws IOException {
    return new DecimerEngine(model, settings);
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  public long loadMillis() {
    return loadMillis;
  }

  /** Recognises one image. Safe to call from many threads at once. */
  @Override
  public Recognition recognize(byte[] image) throws RecognitionException {
    long t0 = System.nanoTime();
    float[] input = preprocess(image);
    long t1 = System.nanoTime();
    int[] ids;
    float[] confidences;
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(TfImageOps.MODEL_SIDE, TfImageOps.MODEL_SIDE, 3),
            DataBuffers.of(input, true, false));
        Result out = serve.call(Map.of(INPUT, in))) {
      TInt32 tok = (TInt32) out.get(TOKENS).orElseThrow();
      TFloat32 conf = (TFloat32) out.get(CONFIDENCES).orElseThrow();
      ids = new int[(int) tok.size()];
      tok.asRawTensor().data().asInts().read(ids);
      confidences = new float[(int) conf.size()];
      conf.asRawTensor().data().asFloats().read(confidences);
    } catch (RuntimeException e) {
      throw new RecognitionException(Kind.MODEL_ERROR, "model failed: " + e.getMessage(), e);
    }
    long t2 = System.nanoTime();
    try {
      String smiles = tokens.smiles(ids);
      // DECIMER pairs token i with confidence i for i = 1 .. L-2: <start> and the last
      // decoded token (normally <end>) are dropped.
      int n = Math.max(0, confidences.length - 2);
      float[] perToken = new float[n];
      System.arraycopy(confidences, 1, perToken, 0, n);
      return new Recognition(smiles, perToken, tokens.truncated(ids),
          (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    } catch (TokenDecoder.UnknownTokenException e) {
      throw new RecognitionException(Kind.MODEL_ERROR, e.getMessage(), e);
    }
  }

  /** Image bytes to the normalised float32 [512,512,3] model input (row-major, HWC). */
  float[] preprocess(byte[] image) throws RecognitionException {
    RgbaImage rgba = decoder.decode(image);
    return imageOps.toModelInput(DecimerPreprocessing.toSquare(rgba));
  }

  /** Steps A to G only: the gray square DECIMER writes as PNG before resizing. */
  GrayImage squareOf(byte[] image) throws RecognitionException {
    return DecimerPreprocessing.toSquare(decoder.decode(image));
  }

  @Override
  public void close() {
    imageOps.close();
    bundle.close();
  }
}
