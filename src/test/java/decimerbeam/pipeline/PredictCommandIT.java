package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import decimerbeam.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code predict} as users call it, with the real model, each in a JVM of its own: TensorFlow
 * writes its native log lines to the process's stderr, past Java, so only a fresh JVM shows what
 * a user sees.
 */
class PredictCommandIT {

  /** Its answer on stdout, as text and as JSON; TensorFlow's lines only with --verbose. */
  @Test
  void predictPrintsCaffeineAndTensorFlowsNativeLinesOnlyWithVerbose() throws Exception {
    String image = TestImages.file("real/decimer-caffeine.png").toString();
    Output quiet = predict(image);
    assertThat(quiet.stdout(), containsString(image + "\t" + TestImages.CAFFEINE + "\t0.99"));
    assertThat(quiet.stderr(), not(containsString(" I tensorflow/")));
    assertThat(quiet.stderr(), not(containsString(" E tensorflow/")));
    Output verbose = predict("--verbose", "--json", image);
    assertThat(verbose.stdout(),
        containsString("\"smiles\":\"" + TestImages.CAFFEINE + "\""));
    assertThat(verbose.stderr(), containsString(" I tensorflow/"));
  }

  private record Output(String stdout, String stderr) {}

  private static Output predict(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "predict"));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile("predict", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.to(stdout.toFile()));
      pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
      Process p = pb.start();
      String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(stderr, p.waitFor(), equalTo(0));
      return new Output(Files.readString(stdout), stderr);
    } finally {
      Files.delete(stdout);
    }
  }
}
