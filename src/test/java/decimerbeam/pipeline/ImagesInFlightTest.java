package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import decimerbeam.inference.DecoderKind;
import decimerbeam.worker.DecimerModel;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Every image in flight holds a DirectRunner thread while it is recognised: the runner gets a
 * thread per permit of the gate, one per thread of the second reader's pool (an image in its
 * second reading has given back its permit but holds its thread), and one more, unless it was
 * given more.
 */
class ImagesInFlightTest {

  private static DecimerOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(DecimerOptions.class);
  }

  @Test
  void theDirectRunnerGetsAThreadPerImageInFlightAndOneMore() {
    DecimerOptions o = options("--secondOpinion=none");
    DecimerModel cached = DecimerModel.at("m").withDecoder(DecoderKind.CACHED);
    int permits = DecimerPipeline.capacityHere(o, cached).permits();
    assertThat(permits, greaterThan(Runtime.getRuntime().availableProcessors()));
    DecimerPipeline.threadsForImagesInFlight(o, cached);
    assertThat(o.as(DirectOptions.class).getTargetParallelism(), equalTo(permits + 1));
  }

  @Test
  void theSecondReadersPoolGetsThreadsOfItsOwn() {
    DecimerOptions o = options(); // --secondOpinion=molvec, the default
    DecimerModel cached = DecimerModel.at("m").withDecoder(DecoderKind.CACHED);
    int permits = DecimerPipeline.capacityHere(o, cached).permits();
    DecimerPipeline.threadsForImagesInFlight(o, cached);
    assertThat(o.as(DirectOptions.class).getTargetParallelism(),
        equalTo(permits + Runtime.getRuntime().availableProcessors() + 1));
  }

  @Test
  void moreThreadsAskedForAreKept() {
    DecimerOptions o = options("--targetParallelism=200");
    DecimerPipeline.threadsForImagesInFlight(o, DecimerModel.at("m"));
    assertThat(o.as(DirectOptions.class).getTargetParallelism(), equalTo(200));
  }

  @Test
  void anExplicitCountOfInferencesSetsTheThreads() {
    DecimerOptions o = options("--maxConcurrentInferences=7", "--targetParallelism=2",
        "--secondOpinion=none");
    DecimerPipeline.threadsForImagesInFlight(o, DecimerModel.at("m"));
    assertThat(o.as(DirectOptions.class).getTargetParallelism(), equalTo(8));
  }

  @Test
  void theRunnerIsRecognisedByItsClassName() {
    assertThat(DirectRunnerOptions.RUNNER_CLASS, equalTo(DirectRunner.class.getName()));
    assertThat(DirectRunnerOptions.runsOn(options()), is(true));
    assertThat(DirectRunnerOptions.runsOn(options("--runner=FlinkRunner")), is(false));
  }

  @Test
  void onFlinkTheThreadsAreLeftAlone() {
    DecimerOptions o = options("--runner=FlinkRunner", "--targetParallelism=2");
    DecimerPipeline.threadsForImagesInFlight(o, DecimerModel.at("m"));
    assertThat(o.getRunner(), equalTo(FlinkRunner.class));
    assertThat(o.as(DirectOptions.class).getTargetParallelism(), equalTo(2));
  }
}
