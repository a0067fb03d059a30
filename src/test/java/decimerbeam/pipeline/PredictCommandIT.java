package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.testing.TestImages;
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
}
