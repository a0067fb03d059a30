package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
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
  /** One image may plan on at most this share of the heap (README "Memory"). */
  static final double HEAP_SHARE_PER_IMAGE = 0.5;

  private final String inputName;
  private final String tokensName;
  private final String confidencesName;
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
      // The signature's tensors, run through the session so a call can carry RunOptions.
      Signature sig = bundle.function(SIGNATURE).signature();
      this.inputName = sig.getInputs().get(INPUT).name;
      this.tokensName = sig.getOutputs().get(TOKENS).name;
      this.confidencesName = sig.getOutputs().get(CONFIDENCES).name;
    } catch (IllegalArgumentException | NullPointerException e) {
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
    NativeLogging.configure(false);
    return new DecimerEngine(model, settings);
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  public long loadMillis() {
    return loadMillis;
  }

  /**
   * What recognising this image will take, from its header alone; an image whose heap share
   * could not fit half of this JVM's heap (the other half is the pipeline's and the other
   * inferences') is refused as TOO_LARGE with the numbers, before anything is decoded.
   */
  @Override
  public WorkingMemory workingMemory(byte[] image) throws RecognitionException {
    ImageHeader header = decoder.header(image);
    WorkingMemory need = WorkingMemory.of(header, image.length);
    long heapMax = Runtime.getRuntime().maxMemory();
    long allowed = (long) (heapMax * HEAP_SHARE_PER_IMAGE);
    if (need.heapBytes() > allowed) {
      throw new RecognitionException(Kind.TOO_LARGE, "image of " + header.size() + " ("
          + header.pixels() + " pixels) needs about " + WorkingMemory.mib(need.heapBytes())
          + " of Java heap to decode and preprocess; one image may use at most "
          + WorkingMemory.mib(allowed) + " (half of the " + WorkingMemory.mib(heapMax)
          + " heap, -Xmx)");
    }
    return need;
  }

  /** Recognises one image. Safe to call from many threads at once. */
  @Override
  public Recognition recognize(byte[] image) throws RecognitionException {
    return recognize(image, 0);
  }

  /**
   * Recognises one image; with {@code timeoutMillis > 0} TensorFlow itself abandons the resize
   * and the model call at that deadline ({@code RunOptions.timeout_in_ms}), and an interrupt
   * between the Java steps ends the call, so a timed-out image stops taking CPU and memory.
   */
  @Override
  public Recognition recognize(byte[] image, long timeoutMillis) throws RecognitionException {
    long t0 = System.nanoTime();
    long deadline = timeoutMillis > 0 ? t0 + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
    workingMemory(image);
    float[] input;
    try {
      GrayImage cropped = DecimerPreprocessing.toCropped(decoder.decode(image));
      stopIfDue(deadline, timeoutMillis);
      input = imageOps.toModelInputFromCrop(cropped, remaining(deadline, timeoutMillis));
    } catch (TensorFlowException e) {
      stopIfDue(deadline, timeoutMillis);
      throw e;
    }
    long t1 = System.nanoTime();
    stopIfDue(deadline, timeoutMillis);
    int[] ids;
    float[] confidences;
    Session.Runner runner = bundle.session().runner();
    if (timeoutMillis > 0) {
      runner.setOptions(TfImageOps.deadline(remaining(deadline, timeoutMillis)));
    }
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(TfImageOps.MODEL_SIDE, TfImageOps.MODEL_SIDE, 3),
            DataBuffers.of(input, true, false));
        Result out = runner.feed(inputName, in).fetch(tokensName).fetch(confidencesName).run()) {
      TInt32 tok = (TInt32) out.get(0);
      TFloat32 conf = (TFloat32) out.get(1);
      ids = new int[(int) tok.size()];
      tok.asRawTensor().data().asInts().read(ids);
      confidences = new float[(int) conf.size()];
      conf.asRawTensor().data().asFloats().read(confidences);
    } catch (RuntimeException e) {
      stopIfDue(deadline, timeoutMillis);
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

  /** At least 1 ms, so a due deadline still reaches TensorFlow as a timeout (0 means none). */
  private static long remaining(long deadline, long timeoutMillis) {
    return timeoutMillis <= 0 ? 0 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private static void stopIfDue(long deadline, long timeoutMillis) throws RecognitionException {
    if (Thread.currentThread().isInterrupted() || System.nanoTime() >= deadline) {
      throw new RecognitionException(Kind.TIMEOUT, "recognition stopped after its limit of "
          + timeoutMillis + " ms");
    }
  }

  /** Image bytes to the normalised float32 [512,512,3] model input (row-major, HWC). */
  float[] preprocess(byte[] image) throws RecognitionException {
    workingMemory(image);
    return imageOps.toModelInputFromCrop(
        DecimerPreprocessing.toCropped(decoder.decode(image)), 0);
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
