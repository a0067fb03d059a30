package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.OptionalInt;
import java.util.Random;
import org.apache.beam.runners.flink.translation.types.KvKeySelector;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.WindowedValue;
import org.apache.beam.sdk.values.KV;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeutils.TypeComparator;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.operators.shipping.OutputEmitter;
import org.apache.flink.runtime.operators.shipping.ShipStrategyType;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.junit.jupiter.api.Test;

/**
 * {@link FlinkKeyPlacement} sends a key where Flink's batch shuffle does: Beam's key selector
 * gives the encoded key, Flink keys the record by it as field 0 of a Tuple2 (how the DataSet
 * API groups by a key selector), and Flink's hash-partitioning {@link OutputEmitter} picks the
 * channel.
 */
class FlinkKeyPlacementTest {

  @Test
  void aKeyGoesWhereFlinksOutputEmitterSendsIt() throws Exception {
    KvKeySelector<String, Long> selector = new KvKeySelector<>(BigEndianLongCoder.of());
    TupleTypeInfo<Tuple2<byte[], String>> type =
        new TupleTypeInfo<>(selector.getProducedType(), BasicTypeInfo.STRING_TYPE_INFO);
    ExecutionConfig config = new ExecutionConfig();
    TypeComparator<Tuple2<byte[], String>> comparator =
        type.createComparator(new int[] {0}, new boolean[] {true}, 0, config);
    SerializationDelegate<Tuple2<byte[], String>> record =
        new SerializationDelegate<>(type.createSerializer(config));
    FlinkKeyPlacement placement = new FlinkKeyPlacement();
    Random random = new Random(23);
    for (int channels : new int[] {1, 2, 3, 8, 16, 64, 100, 640}) {
      OutputEmitter<Tuple2<byte[], String>> emitter =
          new OutputEmitter<>(ShipStrategyType.PARTITION_HASH, comparator);
      emitter.setup(channels);
      for (int i = 0; i < 2_000; i++) {
        long key = i < 1_000 ? ((long) random.nextInt() << 32) | i : random.nextLong();
        record.setInstance(Tuple2.of(
            selector.getKey(WindowedValue.valueInGlobalWindow(KV.of(key, "image"))), "image"));
        assertThat("channel of key " + key + " among " + channels,
            placement.workerOf(key, channels), equalTo(emitter.selectChannel(record)));
      }
    }
  }

  @Test
  void theWorkersAreTheFlinkJobsParallelism() {
    assertThat(FlinkWorkers.ofBatchJob(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--parallelism=16").create()), equalTo(OptionalInt.of(16)));
    // Without --parallelism nor a Flink configuration here, Beam's own choice: 1.
    if (System.getenv("FLINK_CONF_DIR") == null) {
      for (String master : new String[] {"[local]", "localhost:8081"}) {
        assertThat(FlinkWorkers.ofBatchJob(PipelineOptionsFactory.fromArgs(
            "--runner=FlinkRunner", "--flinkMaster=" + master).create()),
            equalTo(OptionalInt.of(1)));
      }
    }
    assertThat(FlinkWorkers.ofBatchJob(PipelineOptionsFactory.create()),
        equalTo(OptionalInt.empty()));
    assertThat(FlinkWorkers.ofBatchJob(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--parallelism=16", "--streaming").create()),
        equalTo(OptionalInt.empty()));
  }
}
