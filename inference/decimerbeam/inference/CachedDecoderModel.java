package decimerbeam.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The cached-decoder SavedModel that {@code tools/prepare_model.py} writes next to the full one:
 * {@code encode} turns an image into every layer's cross-attention keys/values once, {@code step}
 * runs one greedy step for a batch of rows over their self-attention caches. Layouts (see
 * {@code tools/cached_decoder.py}): caches are planes {@code 2*layer + (0 keys | 1 values)}
 * first, then rows.
 */
final class CachedDecoderModel implements AutoCloseable {

  static final int PLANES = 12;
  static final int HEADS = 8;
  static final int DEPTH = 64;
  static final int MAX_LENGTH = 302;
  static final int ENCODER_POSITIONS = 256;
  static final int START = 13;
  static final int END = 14;
  /** Token ids, the width of one row of {@code probabilities}. */
  static final int VOCAB = 156;
  /** Floats of one row in one plane of the self-attention cache. */
  static final int SELF_ROW = HEADS * MAX_LENGTH * DEPTH;
  /** Floats of one row in one plane of the cross-attention keys/values. */
  static final int CROSS_ROW = HEADS * ENCODER_POSITIONS * DEPTH;

  /** What one step gives per row. */
  record StepOutput(int[] nextToken, float[] confidence, float[] newKv) {}

  /** One step's whole softmax per row, [B,156] row-major, and the new cache rows. */
  record Distribution(float[] probabilities, float[] newKv) {}

  private final SavedModelBundle bundle;
  private final String images;
  private final String crossOut;
  private final String token;
  private final String position;
  private final String done;
  private final String keyMask;
  private final String selfKv;
  private final String crossKv;
  private final String nextToken;
  private final String confidence;
  private final String newKv;
  /** Null for a step signature without the softmax output; only beam search needs it. */
  private final String probabilities;

  private CachedDecoderModel(SavedModelBundle bundle) {
    this.bundle = bundle;
    Signature encode = bundle.function("encode").signature();
    Signature step = bundle.function("step").signature();
    this.images = name(encode.getInputs(), "images");
    this.crossOut = name(encode.getOutputs(), "cross_kv");
    this.token = name(step.getInputs(), "token");
    this.position = name(step.getInputs(), "position");
    this.done = name(step.getInputs(), "done");
    this.keyMask = name(step.getInputs(), "key_mask");
    this.selfKv = name(step.getInputs(), "self_kv");
    this.crossKv = name(step.getInputs(), "cross_kv");
    this.nextToken = name(step.getOutputs(), "next_token");
    this.confidence = name(step.getOutputs(), "confidence");
    this.newKv = name(step.getOutputs(), "new_kv");
    Signature.TensorDescription probs = step.getOutputs().get("probabilities");
    this.probabilities = probs == null ? null : probs.name;
  }

  private static String name(Map<String, Signature.TensorDescription> tensors, String key) {
    Signature.TensorDescription d = tensors.get(key);
    if (d == null) {
      throw new IllegalArgumentException("no tensor '" + key + "' in the signature");
    }
    return d.name;
  }

  /** Loads {@code dir}; a model prepared before the cached decoder existed is told apart. */
  static CachedDecoderModel load(PreparedModel model, ConfigProto config) throws IOException {
    Path dir = model.cachedDecoderDir();
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IOException(model.missingCachedDecoder());
    }
    SavedModelBundle bundle = SavedModelBundle.loader(dir.toString())
        .withTags("serve").withConfigProto(config).load();
    try {
      return new CachedDecoderModel(bundle);
    } catch (IllegalArgumentException e) {
      bundle.close();
      throw new IOException("cached decoder at " + dir + " lacks its encode/step signatures ("
          + e.getMessage() + "); " + model.missingCachedDecoder(), e);
    }
  }

  /**
   * One image's cross-attention keys/values, float32 [12,1,8,256,64]; the caller closes it.
   * {@code timeoutMillis > 0} lets TensorFlow abandon the encoder at that deadline.
   */
  TFloat32 encode(float[] image, long timeoutMillis) {
    Session.Runner runner = bundle.session().runner();
    if (timeoutMillis > 0) {
      runner.setOptions(TfImageOps.deadline(timeoutMillis));
    }
    try (TFloat32 in = TFloat32.tensorOf(
            Shape.of(1, TfImageOps.MODEL_SIDE, TfImageOps.MODEL_SIDE, 3),
            DataBuffers.of(image, true, false));
        Result out = runner.feed(images, in).fetch(crossOut).run()) {
      // The Result closes its tensors; keep ours alive past it.
      TFloat32 cross = (TFloat32) out.get(0);
      TFloat32 copy = TFloat32.tensorOf(cross.shape());
      cross.asRawTensor().data().asFloats().copyTo(copy.asRawTensor().data().asFloats(),
          cross.size());
      return copy;
    }
  }

  /** One greedy step for every row of the slot tensors (rows marked done give 0s). */
  StepOutput step(int[] tokens, int[] positions, boolean[] doneRows, TFloat32 keyMasks,
      TFloat32 selfCaches, TFloat32 crossKvs) {
    try (TInt32 t = TInt32.vectorOf(tokens);
        TInt32 p = TInt32.vectorOf(positions);
        TBool d = TBool.vectorOf(doneRows);
        Result out = bundle.session().runner()
            .feed(token, t).feed(position, p).feed(done, d).feed(keyMask, keyMasks)
            .feed(selfKv, selfCaches).feed(crossKv, crossKvs)
            .fetch(nextToken).fetch(confidence).fetch(newKv).run()) {
      int[] next = new int[tokens.length];
      ((Tensor) out.get(0)).asRawTensor().data().asInts().read(next);
      float[] conf = new float[tokens.length];
      ((Tensor) out.get(1)).asRawTensor().data().asFloats().read(conf);
      Tensor kv = out.get(2);
      float[] rows = new float[(int) kv.size()];
      kv.asRawTensor().data().asFloats().read(rows);
      return new StepOutput(next, conf, rows);
    }
  }

  /**
   * The same step, fetching every row's whole softmax instead of its argmax: what beam search
   * ranks its continuations by. {@link #step} stays as it is, so greedy decoding never copies
   * the 156 probabilities per row out.
   */
  Distribution stepDistribution(int[] tokens, int[] positions, boolean[] doneRows,
      TFloat32 keyMasks, TFloat32 selfCaches, TFloat32 crossKvs) {
    if (probabilities == null) {
      throw new IllegalStateException("this cached decoder's step signature has no"
          + " 'probabilities' output; prepare the model again with `prepare-model`");
    }
    try (TInt32 t = TInt32.vectorOf(tokens);
        TInt32 p = TInt32.vectorOf(positions);
        TBool d = TBool.vectorOf(doneRows);
        Result out = bundle.session().runner()
            .feed(token, t).feed(position, p).feed(done, d).feed(keyMask, keyMasks)
            .feed(selfKv, selfCaches).feed(crossKv, crossKvs)
            .fetch(probabilities).fetch(newKv).run()) {
      Tensor probs = out.get(0);
      float[] rows = new float[(int) probs.size()];
      probs.asRawTensor().data().asFloats().read(rows);
      Tensor kv = out.get(1);
      float[] kvRows = new float[(int) kv.size()];
      kv.asRawTensor().data().asFloats().read(kvRows);
      return new Distribution(rows, kvRows);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
