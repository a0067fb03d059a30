package decimerbeam.transforms;

import decimerbeam.storage.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * {@link DirectoryWork} field by field; deterministic, so it can key the per-directory grouping.
 * Java serialization, the alternative, writes class descriptors into every element and dominated
 * the CPU of expanding 10^5 images.
 */
public final class DirectoryWorkCoder extends CustomCoder<DirectoryWork> {

  private static final DirectoryWorkCoder INSTANCE = new DirectoryWorkCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final BooleanCoder BOOL = BooleanCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  public static DirectoryWorkCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DirectoryWork w, OutputStream out) throws IOException {
    STRING.encode(w.directory().uri(), out);
    STRING.encode(w.output().uri(), out);
    STRING.encode(w.key(), out);
    BOOL.encode(w.retryFailedOnly(), out);
    BOOL.encode(w.reprocess(), out);
    INT.encode(w.fileCount(), out);
    STRING.encode(w.listingFingerprint(), out);
    STRING.encode(w.stagingKey(), out);
    INT.encode(w.changes().added(), out);
    INT.encode(w.changes().changed(), out);
    INT.encode(w.changes().removed(), out);
  }

  @Override
  public DirectoryWork decode(InputStream in) throws IOException {
    return new DirectoryWork(new Location(STRING.decode(in)), new Location(STRING.decode(in)),
        STRING.decode(in), BOOL.decode(in), BOOL.decode(in), INT.decode(in), STRING.decode(in),
        STRING.decode(in), new ListingChanges(INT.decode(in), INT.decode(in), INT.decode(in)));
  }

  @Override
  public void verifyDeterministic() {}
}
