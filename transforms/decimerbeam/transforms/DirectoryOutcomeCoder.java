package decimerbeam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** {@link DirectoryOutcome} field by field, in declaration order. */
public final class DirectoryOutcomeCoder extends CustomCoder<DirectoryOutcome> {

  private static final DirectoryOutcomeCoder INSTANCE = new DirectoryOutcomeCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final MapCoder<String, Integer> COUNTS =
      MapCoder.of(StringUtf8Coder.of(), VarIntCoder.of());

  public static DirectoryOutcomeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DirectoryOutcome o, OutputStream out) throws IOException {
    STRING.encode(o.directory(), out);
    STRING.encode(o.output(), out);
    STRING.encode(o.state().name(), out);
    INT.encode(o.images(), out);
    INT.encode(o.recognized(), out);
    INT.encode(o.failed(), out);
    INT.encode(o.skippedFiles(), out);
    LONG.encode(o.recognitionMillis(), out);
    STRING.encode(o.message(), out);
    INT.encode(o.reused(), out);
    INT.encode(o.withWarnings(), out);
    COUNTS.encode(o.sortedWarnings(), out);
    ReviewDigestCoder.of().encode(o.review(), out);
  }

  @Override
  public DirectoryOutcome decode(InputStream in) throws IOException {
    return new DirectoryOutcome(STRING.decode(in), STRING.decode(in),
        DirectoryOutcome.State.valueOf(STRING.decode(in)), INT.decode(in), INT.decode(in),
        INT.decode(in), INT.decode(in), LONG.decode(in), STRING.decode(in), INT.decode(in),
        INT.decode(in), COUNTS.decode(in), ReviewDigestCoder.of().decode(in));
  }
}
