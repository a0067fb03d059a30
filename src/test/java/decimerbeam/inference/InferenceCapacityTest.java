package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/** The permit arithmetic for the VM sizes users run, from the measured footprints. */
class InferenceCapacityTest {

  @Test
  void coresLimitWhenRamIsPlenty() {
    // E16ds_v5: 128 GB, 16 vCPU.
    InferenceCapacity c = InferenceCapacity.compute(131072, 0.75, 8192, 16, 0);
    assertThat(c.permits(), equalTo(16));
    assertThat(c.reason(), equalTo("cores"));
  }

  @Test
  void memoryLimitsOnASmallBox() {
    // 4 GiB x 0.75 = 3072 - 512 heap - 2400 model = 160 MiB: one inference.
    InferenceCapacity c = InferenceCapacity.compute(4096, 0.75, 512, 8, 0);
    assertThat(c.permits(), equalTo(1));
    assertThat(c.reason(), equalTo("memory"));
  }

  @Test
  void neverZero() {
    assertThat(InferenceCapacity.compute(1024, 0.5, 512, 4, 0).permits(), equalTo(1));
  }

  @Test
  void overrideWins() {
    assertThat(InferenceCapacity.compute(131072, 0.75, 8192, 16, 3).permits(), equalTo(3));
  }

  /** The cached decoder keeps several images per core in flight, while RAM allows. */
  @Test
  void imagesPerCoreRaiseTheCoreBoundButNotTheMemoryBound() {
    InferenceCapacity plenty = InferenceCapacity.compute(131072, 0.75, 8192, 16, 0, 1, 4);
    assertThat(plenty.permits(), equalTo(64));
    assertThat(plenty.reason(), equalTo("cores x 4 images each"));
    // 8 GiB x 0.75 = 6144 - 1024 heap - 2400 model = 2720 MiB: 28 inferences, below 8 x 4.
    InferenceCapacity tight = InferenceCapacity.compute(8192, 0.75, 1024, 8, 0, 1, 4);
    assertThat(tight.permits(), equalTo(28));
    assertThat(tight.reason(), equalTo("memory"));
    assertThat(InferenceCapacity.compute(131072, 0.75, 8192, 16, 3, 1, 4).permits(), equalTo(3));
  }
}
