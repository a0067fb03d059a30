package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import decimerbeam.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code predict} as users call it, with the real model. */
class PredictCommandIT {

  @Test
  void predictPrintsCaffeine() throws Exception {
    String image = TestImages.file("real/decimer-caffeine.png").toString();
    String out = CommandLineTest.captureStdout(
        () -> assertThat(Main.dispatch(new String[] {"predict", image}), equalTo(0)));
    assertThat(out, containsString(image + "\t" + TestImages.CAFFEINE + "\t0.99"));
    String json = CommandLineTest.captureStdout(
        () -> Main.dispatch(new String[] {"predict", "--json", image}));
    assertThat(json, containsString("\"smiles\":\"" + TestImages.CAFFEINE + "\""));
  }

  /**
   * TensorFlow writes its native log lines to the process's stderr, past Java: only a fresh
   * JVM shows what a user sees. Quiet by default, all of them with --verbose.
   */
  @Test
  void tensorFlowsNativeLinesShowOnlyWithVerbose() throws Exception {
    String image = TestImages.file("real/decimer-caffeine.png").toString();
    String quiet = stderrOfPredict(image);
    assertThat(quiet, not(containsString(" I tensorflow/")));
    assertThat(quiet, not(containsString(" E tensorflow/")));
    String verbose = stderrOfPredict("--verbose", image);
    assertThat(verbose, containsString(" I tensorflow/"));
  }

  private static String stderrOfPredict(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "predict"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    Process p = pb.start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stderr, p.waitFor(), equalTo(0));
    return stderr;
  }
}
