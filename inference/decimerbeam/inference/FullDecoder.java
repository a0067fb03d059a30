package decimerbeam.inference;

import decimerbeam.inference.RecognitionException.Kind;
import java.io.IOException;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The published full-prefix graph: the encoder and the greedy loop in one call per image, as
 * Python DECIMER runs it.
 */
final class FullDecoder implements Decoder {

  static final String SIGNATURE = "serving_default";
  static final String INPUT = "image";
  static final String TOKENS = "tokens";
  static final String CONFIDENCES = "confidences";

  private final SavedModelBundle bundle;
  private final String inputName;
  private final String tokensName;
  private final String confidencesName;

  private FullDecoder(SavedModelBundle bundle, String inputName, String tokensName,
      String confidencesName) {
    this.bundle = bundle;
    this.inputName = inputName;
    this.tokensName = tokensName;
    this.confidencesName = confidencesName;
  }

  static FullDecoder load(PreparedModel model, ConfigProto config) throws IOException {
    SavedModelBundle bundle = SavedModelBundle.loader(model.savedModelDir().toString())
        .withTags("serve").withConfigProto(config).load();
    try {
      // The signature's tensors, run through the session so a call can carry RunOptions.
      Signature sig = bundle.function(SIGNATURE).signature();
      return new FullDecoder(bundle, sig.getInputs().get(INPUT).name,
          sig.getOutputs().get(TOKENS).name, sig.getOutputs().get(CONFIDENCES).name);
    } catch (IllegalArgumentException | NullPointerException e) {
      bundle.close();
      throw new IOException("model at " + model.savedModelDir() + " has no '" + SIGNATURE
          + "' signature; prepare it again with `prepare-model`", e);
    }
  }

  @Override
  public DecoderKind kind() {
    return DecoderKind.FULL;
  }

  @Override
  public DecodingLoop.Decoded decode(float[] input, long deadline, long timeoutMillis)
      throws RecognitionException {
    Session.Runner runner = bundle.session().runner();
    if (timeoutMillis > 0) {
      runner.setOptions(TfImageOps.deadline(DecimerEngine.remaining(deadline, timeoutMillis)));
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
      DecimerEngine.stopIfDue(deadline, timeoutMillis);
      throw new RecognitionException(Kind.MODEL_ERROR, "model failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "";
  }

  @Override
  public void close() {
    bundle.close();
  }
}
