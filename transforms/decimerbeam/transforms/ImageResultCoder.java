package decimerbeam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * {@link ImageResult} field by field, in declaration order: one per image crosses the shuffle,
 * and Java serialisation would add class descriptors and tie the bytes to the class's shape.
 */
public final class ImageResultCoder extends CustomCoder<ImageResult> {

  private static final ImageResultCoder INSTANCE = new ImageResultCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final BooleanCoder BOOL = BooleanCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final ListCoder<String> STRINGS = ListCoder.of(StringUtf8Coder.of());

  public static ImageResultCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageResult r, OutputStream out) throws IOException {
    STRING.encode(r.directory(), out);
    STRING.encode(r.image(), out);
    STRING.encode(r.status().name(), out);
    STRING.encode(r.smiles(), out);
    STRING.encode(r.canonicalSmiles(), out);
    STRING.encode(r.inchiKey(), out);
    BOOL.encode(r.valid(), out);
    DOUBLE.encode(r.meanConfidence(), out);
    DOUBLE.encode(r.minConfidence(), out);
    INT.encode(r.tokens(), out);
    BOOL.encode(r.truncated(), out);
    STRING.encode(r.errorKind(), out);
    STRING.encode(r.error(), out);
    LONG.encode(r.durationMillis(), out);
    STRING.encode(r.modelId(), out);
    STRINGS.encode(r.warnings(), out);
    STRING.encode(r.trust(), out);
    STRING.encode(r.secondOpinion(), out);
    STRING.encode(r.secondSmiles(), out);
    STRING.encode(r.secondInchiKey(), out);
    STRING.encode(r.agreement(), out);
    STRING.encode(r.bestSmiles(), out);
    STRING.encode(r.chosenFrom(), out);
    LONG.encode(r.finishedAt(), out);
    STRING.encode(r.thumbnail(), out);
  }

  @Override
  public ImageResult decode(InputStream in) throws IOException {
    return new ImageResult(STRING.decode(in), STRING.decode(in),
        ImageResult.Status.valueOf(STRING.decode(in)), STRING.decode(in), STRING.decode(in),
        STRING.decode(in), BOOL.decode(in), DOUBLE.decode(in), DOUBLE.decode(in),
        INT.decode(in), BOOL.decode(in), STRING.decode(in), STRING.decode(in), LONG.decode(in),
        STRING.decode(in), STRINGS.decode(in), STRING.decode(in), STRING.decode(in),
        STRING.decode(in), STRING.decode(in), STRING.decode(in), STRING.decode(in),
        STRING.decode(in), LONG.decode(in), STRING.decode(in));
  }
}
