package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The DECIMER model loaded once, shared by every thread that calls {@link #recognize}. Image
 * bytes go through DECIMER's exact preprocessing, the model's greedy decoder, and DECIMER's
 * detokenisation.
 */
public final class DecimerEngine implements Recognizer {

  private static final Logger LOG = LoggerFactory.getLogger(DecimerEngine.class);

  private final PreparedModel model;
  /** The full or the cached decoder, as the settings chose. */
  private final Decoder decoder;
  /** One image may plan on at most this share of the heap (README "Memory"). */
  static final double HEAP_SHARE_PER_IMAGE = 0.5;

  private final TfImageOps imageOps;
  private final ImageDecoder images;
  private final TokenDecoder tokens;
  private final long loadMillis;

  /** Loads the settings' decoder, or takes {@code given} (already loaded) when not null. */
  private DecimerEngine(PreparedModel model, EngineSettings settings, Decoder given)
      throws IOException {
    long start = System.nanoTime();
    this.model = model;
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(settings.intraOpThreads())
        .setInterOpParallelismThreads(settings.interOpThreads())
        .build();
    this.tokens = TokenDecoder.fromJson(model.indexWordJson());
    if (given != null) {
      this.decoder = given;
    } else {
      this.decoder = settings.decoder() == DecoderKind.CACHED
          ? CachedDecoder.load(model, config, settings)
          : FullDecoder.load(model, config);
    }
    this.imageOps = new TfImageOps(config);
    this.images = new ImageDecoder(imageOps, settings.maxPixels());
    this.loadMillis = (System.nanoTime() - start) / 1_000_000;
    LOG.info("Loaded model {} ({} decoder{}) from {} in {} ms", model.modelId(),
        decoder.kind().cliName(), decoder.describe(), model.root(), loadMillis);
  }

  /** Loads a prepared model; the caller owns the engine and closes it once. */
  public static DecimerEngine load(PreparedModel model, EngineSettings settings)
      throws IOException {
    NativeLogging.configure(false);
    NativeMemoryLimit.configure();
    return new DecimerEngine(model, settings, null);
  }

  /**
   * An engine with the settings' decoding loops over this engine's cached-decoder graphs, which
   * stay this engine's (tests: another loop layout without loading the model again). The caller
   * closes the new engine before this one.
   */
  DecimerEngine withOwnLoops(EngineSettings settings) throws IOException {
    return new DecimerEngine(model, settings,
        CachedDecoder.sharing(cachedDecoderModel(), settings, model.modelId() + "-shared"));
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  public long loadMillis() {
    return loadMillis;
  }

  public DecoderKind decoderKind() {
    return decoder.kind();
  }

  /** The cached decoder's step counts since load; zeros with the full decoder. */
  public DecoderStats decoderStats() {
    return decoder instanceof CachedDecoder c ? c.stats() : new DecoderStats(0, 0, 0);
  }

  /**
   * The cached decoder's loaded graphs (owned by this engine, closed with it), for tests that
   * drive a decoding loop or a beam of their own without loading the model again.
   */
  CachedDecoderModel cachedDecoderModel() {
    if (decoder instanceof CachedDecoder c) {
      return c.model();
    }
    throw new IllegalStateException("the " + decoder.kind() + " decoder has no cached graphs");
  }

  /** Steps run by each decoding loop; empty with the full decoder. */
  long[] stepsPerLoop() {
    return decoder instanceof CachedDecoder c ? c.stepsPerLoop() : new long[0];
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
    ImageHeader header = images.header(image);
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
    DecodingLoop.Decoded d = decoder.decode(input, deadline, timeoutMillis);
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

  /**
   * Image bytes to the model input under the deadline: the same decoding and preprocessing for
   * {@link #recognize} and {@link #alternatives}.
   */
  private float[] modelInput(byte[] image, long deadline, long timeoutMillis)
      throws RecognitionException {
    workingMemory(image);
    try {
      GrayImage cropped = DecimerPreprocessing.toCropped(images.decode(image));
      stopIfDue(deadline, timeoutMillis);
      return imageOps.toModelInputFromCrop(cropped, remaining(deadline, timeoutMillis));
    } catch (TensorFlowException e) {
      stopIfDue(deadline, timeoutMillis);
      throw e;
    }
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
    if (!(decoder instanceof CachedDecoder cached)) {
      throw new IllegalArgumentException("alternatives need the cached decoder (beam search"
          + " steps its caches); this engine was loaded with --decoder="
          + decoder.kind().cliName());
    }
    try {
      long deadline = timeoutMillis > 0
          ? System.nanoTime() + timeoutMillis * 1_000_000 : Long.MAX_VALUE;
      float[] input = modelInput(image, deadline, timeoutMillis);
      stopIfDue(deadline, timeoutMillis);
      TFloat32 encoded = cached.encode(input, deadline, timeoutMillis);
      try {
        return cached.alternatives(encoded, k, tokens, deadline);
      } catch (RecognitionException e) {
        if (e.kind() == Kind.TIMEOUT) {
          throw timedOut(timeoutMillis);
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

  /** At least 1 ms, so a due deadline still reaches TensorFlow as a timeout (0 means none). */
  static long remaining(long deadline, long timeoutMillis) {
    return timeoutMillis <= 0 ? 0 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  static void stopIfDue(long deadline, long timeoutMillis) throws RecognitionException {
    if (Thread.currentThread().isInterrupted() || System.nanoTime() >= deadline) {
      throw timedOut(timeoutMillis);
    }
  }

  /** The TIMEOUT an image gets when its limit ends the call. */
  static RecognitionException timedOut(long timeoutMillis) {
    return new RecognitionException(Kind.TIMEOUT, "recognition stopped after its limit of "
        + timeoutMillis + " ms");
  }

  /**
   * For benchmarks: preprocessing, and with {@code encode} the cached decoder's encoder, without
   * decoding, to split an image's CPU time into its phases.
   */
  public void encodeOnly(byte[] image, boolean encode) throws RecognitionException {
    float[] input = preprocess(image);
    if (encode) {
      if (!(decoder instanceof CachedDecoder cached)) {
        throw new IllegalStateException("the encoder runs alone only with the cached decoder");
      }
      cached.encode(input, Long.MAX_VALUE, 0).close();
    }
  }

  /** Image bytes to the normalised float32 [512,512,3] model input (row-major, HWC). */
  float[] preprocess(byte[] image) throws RecognitionException {
    workingMemory(image);
    return imageOps.toModelInputFromCrop(
        DecimerPreprocessing.toCropped(images.decode(image)), 0);
  }

  /** Steps A to G only: the gray square DECIMER writes as PNG before resizing. */
  GrayImage squareOf(byte[] image) throws RecognitionException {
    return DecimerPreprocessing.toSquare(images.decode(image));
  }

  @Override
  public void close() {
    imageOps.close();
    decoder.close();
    NativeHeap.giveBack();
  }
}
