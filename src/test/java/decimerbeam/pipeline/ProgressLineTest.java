package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import decimerbeam.pipeline.ProgressReporter.Snapshot;
import org.junit.jupiter.api.Test;

/** What the progress line says before the first image and how it counts img/s after it. */
class ProgressLineTest {

  private static final long LAUNCH = 1_000_000L;

  @Test
  void whileTheModelLoadsTheLineSaysSoInsteadOfZeroImagesPerSecond() {
    String line = ProgressReporter.line(new Snapshot(15, 0, 0, 0, 0, 1, 0, 0, false), LAUNCH,
        LAUNCH + 240_000, false);
    assertThat(line, containsString("preparing or loading the model"));
    assertThat(line, containsString("240 s so far"));
    assertThat(line, containsString("15 images listed"));
    assertThat(line, not(containsString("img/s")));
  }

  @Test
  void onceTheModelIsLoadedAndNothingIsDoneYetTheLineSaysWhatRuns() {
    String line = ProgressReporter.line(
        new Snapshot(15, 0, 0, 0, 0, 1, 1, LAUNCH + 5_000, false), LAUNCH, LAUNCH + 8_000, false);
    assertThat(line, containsString("reading images"));
    assertThat(line, not(containsString("loading the model")));
  }

  @Test
  void imagesPerSecondCountFromTheFirstRecognitionNotFromLaunch() {
    // Four minutes of model preparation, then 15 images in 27 s: 0.55 img/s, not 0.05.
    Snapshot s = new Snapshot(15, 15, 0, 0, 3, 1, 1, LAUNCH + 240_000, false);
    String line = ProgressReporter.line(s, LAUNCH, LAUNCH + 267_000, true);
    assertThat(line, containsString("15 / 15 images"));
    assertThat(line, containsString("0.56 img/s since the first image"));
    assertThat(line, containsString("finished in 267 s"));
  }

  @Test
  void etaFollowsTheRateSinceTheFirstRecognition() {
    Snapshot s = new Snapshot(100, 10, 0, 0, 0, 1, 1, LAUNCH + 100_000, false);
    String line = ProgressReporter.line(s, LAUNCH, LAUNCH + 120_000, false);
    assertThat(line, containsString("0.50 img/s"));
    assertThat(line, containsString("ETA 180 s"));
  }
}
