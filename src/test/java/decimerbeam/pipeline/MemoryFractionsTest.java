package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.testing.StandInRecognizer;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --memoryFraction} and {@code --memoryExitFraction}: a pair the options accept builds
 * a pipeline, and a value outside its range, NaN included, is refused with the option's name.
 */
class MemoryFractionsTest {

  @TempDir Path tmp;

  private DecimerOptions options(String... fractions) throws java.io.IOException {
    java.nio.file.Files.createDirectories(tmp.resolve("in/plate"));
    java.nio.file.Files.write(tmp.resolve("in/plate/a.png"), new byte[] {1});
    PipelineOptionsFactory.register(DecimerOptions.class);
    List<String> args = new java.util.ArrayList<>(List.of("--input=" + tmp + "/in/",
        "--output=" + tmp + "/out/"));
    args.addAll(List.of(fractions));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(DecimerOptions.class);
  }

  @Test
  void aMemoryFractionAboveTheDefaultExitFractionBuildsWithAHigherExitFraction() throws Exception {
    DecimerOptions o = options("--memoryFraction=0.97", "--memoryExitFraction=0.99");
    DecimerPipeline.validate(o, List.of(tmp + "/in/"));
    assertDoesNotThrow(() -> DecimerPipeline.build(o, 0, StandInRecognizer.factory("fractions")));
  }

  @Test
  void fractionsOutsideTheirRangeAreRefusedByName() throws Exception {
    for (String bad : List.of("NaN", "0", "1.5")) {
      assertRefused("--memoryFraction=" + bad, "--memoryFraction must be in (0, 1]");
    }
    for (String bad : List.of("NaN", "0.5", "1.01")) {
      assertRefused("--memoryExitFraction=" + bad,
          "--memoryExitFraction must be in [--memoryFraction, 1]");
    }
  }

  private void assertRefused(String option, String message) throws Exception {
    DecimerOptions o = options(option);
    assertThat(option, assertThrows(IllegalArgumentException.class,
        () -> DecimerPipeline.validate(o, List.of(tmp + "/in/"))).getMessage(),
        equalTo(message));
  }
}
