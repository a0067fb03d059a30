package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.inference.EngineSettings;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import org.junit.jupiter.api.Test;

/** How pipeline thread options resolve into the engine's settings on a worker. */
class SettingsTest {

  private static Settings threads(int intra, int inter) {
    return new Settings(AzureAccess.none(), Location.directory("out/"), false, false, "m", "",
        intra, inter, 1000, 0.75, 0, 600, 4);
  }

  @Test
  void interOpZeroMeansOneThreadPerConcurrentInference() {
    assertThat(threads(1, 0).engineSettings(16), equalTo(new EngineSettings(1, 16, 1000)));
    assertThat(threads(1, 0).engineSettings(2), equalTo(new EngineSettings(1, 2, 1000)));
  }

  @Test
  void explicitThreadCountsAreKept() {
    assertThat(threads(0, 3).engineSettings(16), equalTo(new EngineSettings(0, 3, 1000)));
    assertThat(threads(4, 1).engineSettings(2), equalTo(new EngineSettings(4, 1, 1000)));
  }
}
