package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
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

  /**
   * JavaCPP refuses native allocations past its limit, so the JVM's share never exceeds it:
   * 12 GiB x 0.75 = 9216 - 1024 heap - 2400 model = 5792 MiB would allow 8 x 4 images, but a
   * 6 GiB limit leaves 4608 - 1024 - 2400 = 1184 MiB: 12 inferences.
   */
  @Test
  void javaCppsLimitCapsTheShare() {
    InferenceCapacity free = InferenceCapacity.compute(12288, 0.75, 1024, 8, 0, 1, 4, 0);
    assertThat(free.shareBytes() >> 20, equalTo(12288L));
    assertThat(free.permits(), equalTo(32));
    InferenceCapacity capped = InferenceCapacity.compute(12288, 0.75, 1024, 8, 0, 1, 4, 6144);
    assertThat(capped.shareBytes() >> 20, equalTo(6144L));
    assertThat(capped.nativeBudgetBytes() >> 20, equalTo(1184L));
    assertThat(capped.permits(), equalTo(12));
    assertThat(capped.describe(), containsString("JavaCPP's limit 6144 MiB"));
    // A limit above the share changes nothing.
    InferenceCapacity above = InferenceCapacity.compute(12288, 0.75, 1024, 8, 0, 2, 4, 8192);
    assertThat(above.shareBytes() >> 20, equalTo(6144L));
    assertThat(above.describe(), containsString("RAM 12288 MiB / 2 worker JVMs"));
  }
}
