package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import java.util.List;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The same decoder rebuilt with key/value caches: each image is encoded on its caller's thread,
 * then stepped in a batch with the other images in flight by one of the shared decoding loops
 * ({@link DecodingLoop}). Beam search over its caches gives an image's k best readings.
 */
final class CachedDecoder implements Decoder {

  private final CachedDecoderModel model;
  private final DecodingLoop[] loops;
  private final int maxBatch;
  /** False for loops over graphs another decoder loaded: closing this one leaves them open. */
  private final boolean ownsModel;

  private CachedDecoder(CachedDecoderModel model, EngineSettings settings, String name,
      boolean ownsModel) {
    this.model = model;
    this.loops = new DecodingLoop[settings.decoderLoops()];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new DecodingLoop(model, settings.maxBatch(), name + "-" + i);
    }
    this.maxBatch = settings.maxBatch();
    this.ownsModel = ownsModel;
  }

  static CachedDecoder load(PreparedModel prepared, ConfigProto config, EngineSettings settings)
      throws IOException {
    return new CachedDecoder(CachedDecoderModel.load(prepared, config), settings,
        prepared.modelId(), true);
  }

  /**
   * The settings' loops over graphs another decoder loaded and still owns, for tests that need
   * another loop layout without loading the model again.
   */
  static CachedDecoder sharing(CachedDecoderModel model, EngineSettings settings, String name) {
    return new CachedDecoder(model, settings, name, false);
  }

  @Override
  public DecoderKind kind() {
    return DecoderKind.CACHED;
  }

  /** Encodes on this thread (under the deadline), then waits for the shared decoding loop. */
  @Override
  public DecodingLoop.Decoded decode(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    TFloat32 encoded = encode(input, deadline, timeoutMillis);
    try {
      return leastBusyLoop().decode(encoded, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DecimerEngine.timedOut(timeoutMillis);
    } catch (RecognitionException e) {
      if (e.kind() == Kind.TIMEOUT) {
        throw DecimerEngine.timedOut(timeoutMillis);
      }
      throw e;
    }
  }

  /** The encoder on this thread, under the deadline; the caller closes the result. */
  TFloat32 encode(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    TFloat32 encoded;
    try {
      encoded = model.encode(input, DecimerEngine.remaining(deadline, timeoutMillis));
    } catch (RuntimeException e) {
      DecimerEngine.stopIfDue(deadline, timeoutMillis);
      throw new RecognitionException(Kind.MODEL_ERROR, "encoder failed: " + e.getMessage(), e);
    }
    try {
      DecimerEngine.stopIfDue(deadline, timeoutMillis);
    } catch (RecognitionException e) {
      encoded.close();
      throw e;
    }
    return encoded;
  }

  /** Up to {@code k} readings of an encoded image, best first (see {@link BeamSearch}). */
  List<Alternative> alternatives(TFloat32 encoded, int k, TokenDecoder tokens, long deadline)
      throws RecognitionException {
    return new BeamSearch(model::stepDistribution, tokens).search(encoded, k, deadline);
  }

  /** Steps, rows stepped and time in steps, over every loop since load. */
  DecimerEngine.DecoderStats stats() {
    long steps = 0;
    long rowSteps = 0;
    long nanos = 0;
    for (DecodingLoop l : loops) {
      DecodingLoop.Stats s = l.stats();
      steps += s.steps();
      rowSteps += s.rowSteps();
      nanos += s.stepNanos();
    }
    return new DecimerEngine.DecoderStats(steps, rowSteps, nanos);
  }

  /** The loaded graphs the loops step, for tests that drive a loop of their own on them. */
  CachedDecoderModel model() {
    return model;
  }

  /** Steps run by each decoding loop. */
  long[] stepsPerLoop() {
    long[] steps = new long[loops.length];
    for (int i = 0; i < loops.length; i++) {
      steps[i] = loops[i].stats().steps();
    }
    return steps;
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

  @Override
  public String describe() {
    return ", " + loops.length + " decoding loop(s) of " + maxBatch + " rows";
  }

  @Override
  public void close() {
    for (DecodingLoop l : loops) {
      l.close();
    }
    if (ownsModel) {
      model.close();
    }
  }
}
