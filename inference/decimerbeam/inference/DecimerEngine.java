package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import java.util.List;
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
  /** The published full-prefix graph; null with the cached decoder. */
  private final SavedModelBundle bundle;
  /** The cached decoder and its batching loops; null with the full one. */
  private final CachedDecoderModel cached;
  private final DecodingLoop[] loops;
  private final DecoderKind decoderKind;
  /** One image may plan on at most this share of the heap (README "Memory"). */
  static final double HEAP_SHARE_PER_IMAGE = 0.5;

  private String inputName;
  private String tokensName;
  private String confidencesName;
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
    this.decoderKind = settings.decoder();
    if (decoderKind == DecoderKind.CACHED) {
      this.bundle = null;
      this.cached = CachedDecoderModel.load(model, config);
      this.loops = new DecodingLoop[settings.decoderLoops()];
      for (int i = 0; i < loops.length; i++) {
        loops[i] = new DecodingLoop(cached, settings.maxBatch(), model.modelId() + "-" + i);
      }
    } else {
      this.cached = null;
      this.loops = null;
      this.bundle = SavedModelBundle.loader(model.savedModelDir().toString())
          .withTags("serve").withConfigProto(config).load();
      bindSignature();
    }
    this.imageOps = new TfImageOps(config);
    this.decoder = new ImageDecoder(imageOps, settings.maxPixels());
    this.loadMillis = (System.nanoTime() - start) / 1_000_000;
    LOG.info("Loaded model {} ({} decoder{}) from {} in {} ms", model.modelId(),
        decoderKind.cliName(), loops == null ? "" : ", " + loops.length + " decoding loop(s) of "
            + settings.maxBatch() + " rows", model.root(), loadMillis);
  }

  private void bindSignature() throws IOException {
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
  }

  /** Loads a prepared model; the caller owns the engine and closes it once. */
  public static DecimerEngine load(PreparedModel model, EngineSettings settings)
      throws IOException {
    NativeLogging.configure(false);
    NativeMemoryLimit.configure();
    return new DecimerEngine(model, settings);
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  public long loadMillis() {
    return loadMillis;
  }

  public DecoderKind decoderKind() {
    return decoderKind;
  }

  /** The cached decoder's step counts since load; zeros with the full decoder. */
  public DecoderStats decoderStats() {
    long steps = 0;
    long rowSteps = 0;
    long nanos = 0;
    for (DecodingLoop l : loops == null ? new DecodingLoop[0] : loops) {
      DecodingLoop.Stats s = l.stats();
      steps += s.steps();
      rowSteps += s.rowSteps();
      nanos += s.stepNanos();
    }
    return new DecoderStats(steps, rowSteps, nanos);
  }

  /** Steps run by each decoding loop; empty with the full decoder. */
  long[] stepsPerLoop() {
    if (loops == null) {
      return new long[0];
    }
    long[] steps = new long[loops.length];
    for (int i = 0; i < loops.length; i++) {
      steps[i] = loops[i].stats().steps();
    }
    return steps;
  }

  /**
   * Cached-decoder steps run, images they served (rows summed over steps) and time in them.
   */
  public record DecoderStats(long steps, long rowSteps, long stepNanos) {}

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
          + header.pixels() + " pixels, " + header.layout().describe() + ", "
          + WorkingMemory.mib(header.rasterBytes()) + " decoded) needs about "
          + WorkingMemory.mib(need.heapBytes()) + " of Java heap to decode and preprocess; one image may use at most "
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
    try {
      return recognizeOnce(image, timeoutMillis);
    } catch (OutOfMemoryError e) {
      // JavaCPP refused this image's tensors native memory: the image fails, the engine goes on.
      if (!NativeMemoryLimit.refused(e)) {
        throw e;
      }
      throw RecognitionException.mayPass(Kind.MODEL_ERROR, "native memory refused: "
          + e.getMessage(), e);
    }
  }

  private Recognition recognizeOnce(byte[] image, long timeoutMillis)
      throws RecognitionException {
    long t0 = System.nanoTime();
    long deadline = timeoutMillis > 0 ? t0 + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
    float[] input = modelInput(image, deadline, timeoutMillis);
    long t1 = System.nanoTime();
    stopIfDue(deadline, timeoutMillis);
    DecodingLoop.Decoded d = cached != null
        ? decodeCached(input, deadline, timeoutMillis)
        : decodeFull(input, deadline, timeoutMillis);
    int[] ids = d.tokens();
    float[] confidences = d.confidences();
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

  /** The published graph: encoder and greedy loop in one call, under the deadline. */
  private DecodingLoop.Decoded decodeFull(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    Session.Runner runner = bundle.session().runner();
    if (timeoutMillis > 0) {
      runner.setOptions(TfImageOps.deadline(remaining(deadline, timeoutMillis)));
    }
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(TfImageOps.MODEL_SIDE, TfImageOps.MODEL_SIDE, 3),
            DataBuffers.of(input, true, false));
        Result out = runner.feed(inputName, in).fetch(tokensName).fetch(confidencesName).run()) {
      TInt32 tok = (TInt32) out.get(0);
      TFloat32 conf = (TFloat32) out.get(1);
      int[] ids = new int[(int) tok.size()];
      tok.asRawTensor().data().asInts().read(ids);
      float[] confidences = new float[(int) conf.size()];
      conf.asRawTensor().data().asFloats().read(confidences);
      return new DecodingLoop.Decoded(ids, confidences);
    } catch (RuntimeException e) {
      stopIfDue(deadline, timeoutMillis);
      throw new RecognitionException(Kind.MODEL_ERROR, "model failed: " + e.getMessage(), e);
    }
  }

  /** Encodes on this thread (under the deadline), then waits for the shared decoding loop. */
  private DecodingLoop.Decoded decodeCached(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    TFloat32 encoded = encodeCached(input, deadline, timeoutMillis);
    try {
      return leastBusyLoop().decode(encoded, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecognitionException(Kind.TIMEOUT, "recognition stopped after its limit of "
          + timeoutMillis + " ms");
    } catch (RecognitionException e) {
      if (e.kind() == Kind.TIMEOUT) {
        throw new RecognitionException(Kind.TIMEOUT, "recognition stopped after its limit of "
            + timeoutMillis + " ms");
      }
      throw e;
    }
  }

  /**
   * Image bytes to the model input under the deadline: the same decoding and preprocessing for
   * {@link #recognize} and {@link #alternatives}.
   */
  private float[] modelInput(byte[] image, long deadline, long timeoutMillis)
      throws RecognitionException {
    workingMemory(image);
    try {
      GrayImage cropped = DecimerPreprocessing.toCropped(decoder.decode(image));
      stopIfDue(deadline, timeoutMillis);
      return imageOps.toModelInputFromCrop(cropped, remaining(deadline, timeoutMillis));
    } catch (TensorFlowException e) {
      stopIfDue(deadline, timeoutMillis);
      throw e;
    }
  }

  /** The cached decoder's encoder on this thread, under the deadline; the caller closes it. */
  private TFloat32 encodeCached(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    TFloat32 encoded;
    try {
      encoded = cached.encode(input, remaining(deadline, timeoutMillis));
    } catch (RuntimeException e) {
      stopIfDue(deadline, timeoutMillis);
      throw new RecognitionException(Kind.MODEL_ERROR, "encoder failed: " + e.getMessage(), e);
    }
    try {
      stopIfDue(deadline, timeoutMillis);
    } catch (RecognitionException e) {
      encoded.close();
      throw e;
    }
    return encoded;
  }

  /**
   * Up to {@code k} distinct readings of one image, best first by summed token log-probability
   * (beam search over the cached decoder, {@link BeamSearch}). The image goes through the same
   * decoding and preprocessing as {@link #recognize}, whose answer this never changes: with
   * {@code k = 1} the one reading is the greedy one (up to step rounding at a near tie, see
   * {@link BeamSearch}). Safe to call from many threads at once; each call steps its own k
   * rows on its own thread, outside the shared decoding loops.
   *
   * @param k readings wanted, 1 to 5
   * @param timeoutMillis a deadline for the whole call as in {@link #recognize(byte[], long)};
   *     0 for none
   * @throws IllegalArgumentException k outside 1..5, or an engine with the full decoder (the
   *     search needs the cached decoder's explicit caches)
   */
  public List<Alternative> alternatives(byte[] image, int k, long timeoutMillis)
      throws RecognitionException {
    if (k < 1 || k > BeamSearch.MAX_WIDTH) {
      throw new IllegalArgumentException("k must be 1.." + BeamSearch.MAX_WIDTH + ", got " + k);
    }
    if (cached == null) {
      throw new IllegalArgumentException("alternatives need the cached decoder (beam search"
          + " steps its caches); this engine was loaded with --decoder="
          + decoderKind.cliName());
    }
    try {
      long deadline = timeoutMillis > 0
          ? System.nanoTime() + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
      float[] input = modelInput(image, deadline, timeoutMillis);
      stopIfDue(deadline, timeoutMillis);
      TFloat32 encoded = encodeCached(input, deadline, timeoutMillis);
      try {
        return new BeamSearch(cached::stepDistribution, tokens).search(encoded, k, deadline);
      } catch (RecognitionException e) {
        if (e.kind() == Kind.TIMEOUT) {
          throw new RecognitionException(Kind.TIMEOUT, "recognition stopped after its limit of "
              + timeoutMillis + " ms");
        }
        throw e;
      } catch (RuntimeException e) {
        throw new RecognitionException(Kind.MODEL_ERROR, "decoder failed: " + e.getMessage(), e);
      }
    } catch (OutOfMemoryError e) {
      // As in recognize: a native-memory refusal fails this image, not the engine.
      if (!NativeMemoryLimit.refused(e)) {
        throw e;
      }
      throw RecognitionException.mayPass(Kind.MODEL_ERROR, "native memory refused: "
          + e.getMessage(), e);
    }
  }

  /**
   * The loop with the fewest images: every loop steps the same row count, so which one decodes
   * an image never changes its result. A loop ends only when the engine closes it: an Error in
   * a step fails that step's images with the Error and the loop goes on with fresh slots
   * ({@link DecodingLoop}); should its thread end anyway, every image it is given later gets
   * the Error that ended it, never a "the decoder is closed" row.
   */
  private DecodingLoop leastBusyLoop() {
    DecodingLoop best = loops[0];
    for (DecodingLoop l : loops) {
      // A loop that stopped fails its images at once, so it would always look least busy.
      if (l.isOpen() && (!best.isOpen() || l.images() < best.images())) {
        best = l;
      }
    }
    return best;
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

  /**
   * For benchmarks: preprocessing, and with {@code encode} the cached decoder's encoder, without
   * decoding, to split an image's CPU time into its phases.
   */
  public void encodeOnly(byte[] image, boolean encode) throws RecognitionException {
    float[] input = preprocess(image);
    if (encode) {
      if (cached == null) {
        throw new IllegalStateException("the encoder runs alone only with the cached decoder");
      }
      cached.encode(input, 0).close();
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
    if (loops != null) {
      for (DecodingLoop l : loops) {
        l.close();
      }
      cached.close();
    } else {
      bundle.close();
    }
    NativeHeap.giveBack();
  }
}
