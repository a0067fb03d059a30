package decimerbeam.pipeline;

import decimerbeam.work.KeyPlacement;
import java.util.Arrays;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.flink.util.MathUtils;

/**
 * Where Flink's batch shuffle sends a spread key. Beam 2.62 translates {@code Reshuffle.of()}
 * (and a GroupByKey) on Flink batch as {@code groupBy(KvKeySelector).reduceGroup}: the key
 * selector gives the key's encoded bytes, whose comparator ({@code EncodedValueComparator})
 * hashes them with {@link Arrays#hashCode(byte[])}, and Flink's {@code OutputEmitter} sends a
 * record with hash h to subtask {@code murmurHash(h) % subtasks}. FlinkKeyPlacementTest checks
 * this against Flink's and Beam's own classes.
 */
final class FlinkKeyPlacement implements KeyPlacement {

  private static final long serialVersionUID = 1L;

  @Override
  public int workerOf(long key, int workers) {
    byte[] encoded;
    try {
      encoded = CoderUtils.encodeToByteArray(BigEndianLongCoder.of(), key);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode the key " + key, e);
    }
    return MathUtils.murmurHash(Arrays.hashCode(encoded)) % workers;
  }

  @Override
  public String toString() {
    return "Flink batch hash partitioning";
  }
}
