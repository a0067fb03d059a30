package decimerbeam.transforms;

import decimerbeam.report.ReviewDigest;
import decimerbeam.report.ReviewedRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** {@link ReviewDigest} field by field, maps in key order. */
public final class ReviewDigestCoder extends CustomCoder<ReviewDigest> {

  private static final ReviewDigestCoder INSTANCE = new ReviewDigestCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final ListCoder<Integer> INTS = ListCoder.of(VarIntCoder.of());
  private static final ListCoder<String> STRINGS = ListCoder.of(StringUtf8Coder.of());
  private static final MapCoder<String, Integer> COUNTS =
      MapCoder.of(StringUtf8Coder.of(), VarIntCoder.of());
  private static final MapCoder<Long, Integer> MINUTES =
      MapCoder.of(VarLongCoder.of(), VarIntCoder.of());

  public static ReviewDigestCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ReviewDigest d, OutputStream out) throws IOException {
    INTS.encode(d.confidenceBins(), out);
    COUNTS.encode(new TreeMap<>(d.failuresByKind()), out);
    MINUTES.encode(new TreeMap<>(d.finishedPerMinute()), out);
    INT.encode(d.worst().size(), out);
    for (ReviewedRow r : d.worst()) {
      STRING.encode(r.image(), out);
      STRING.encode(r.smiles(), out);
      DOUBLE.encode(r.meanConfidence(), out);
      STRING.encode(r.trust(), out);
      STRINGS.encode(r.warnings(), out);
    }
  }

  @Override
  public ReviewDigest decode(InputStream in) throws IOException {
    List<Integer> bins = INTS.decode(in);
    var kinds = COUNTS.decode(in);
    var minutes = MINUTES.decode(in);
    int n = INT.decode(in);
    List<ReviewedRow> worst = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      worst.add(new ReviewedRow(STRING.decode(in), STRING.decode(in), DOUBLE.decode(in),
          STRING.decode(in), STRINGS.decode(in)));
    }
    return new ReviewDigest(bins, kinds, minutes, worst);
  }
}
