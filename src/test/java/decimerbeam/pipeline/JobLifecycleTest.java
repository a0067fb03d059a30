package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.testing.StandInRecognizer;
import decimerbeam.worker.SharedGates;
import decimerbeam.worker.SharedRecognizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a run starts in a worker JVM outlives it: on a session cluster one TaskManager serves
 * job after job, so a thread, gate or watchdog left by one run piles up with every next one
 * (and a watchdog left over could still exit the JVM under a later job). Two runs in a row in
 * this JVM (the second with the second reader and its pool), each checked once it has ended.
 */
class JobLifecycleTest {

  @TempDir Path tmp;

  @Test
  void aFinishedRunLeavesNoThreadGateOrWatchdogBehind() throws Exception {
    Set<Thread> before = decimerThreads();
    int gatesBefore = SharedGates.holders();
    int recognizersBefore = SharedRecognizers.holders();
    // The second run has the second reader on: its pool's threads end with the job too.
    for (String job : List.of("lifecycle-first", "lifecycle-second")) {
      String second = job.endsWith("first") ? "none" : "molvec";
      LocalRunFolders run = new LocalRunFolders(tmp.resolve(job));
      for (int i = 0; i < 6; i++) {
        run.put(String.format("plate/%02d.png", i), image("smiles=C", "sleepMs=20"));
      }
      assertThat(job, RunCommand.run(run.options("--secondOpinion=" + second),
          StandInRecognizer.factory(job)), equalTo(PipelineResult.State.DONE));
      assertThat(job + " recognised every image", StandInRecognizer.stats(job).calls.get(),
          equalTo(6));

      Set<Thread> left = decimerThreads();
      left.removeAll(before);
      assertThat("threads of " + job + " alive after it ended", names(left), empty());
      assertThat("gates held after " + job, SharedGates.holders(), equalTo(gatesBefore));
      assertThat("recognizers held after " + job, SharedRecognizers.holders(),
          equalTo(recognizersBefore));
      assertThat("recognizers of " + job + " closed", StandInRecognizer.stats(job).closed.get(),
          equalTo(StandInRecognizer.stats(job).created.get()));
    }
  }

  /**
   * Live threads this project names (decimer-inference-, decimer-memory-watchdog,
   * decimer-second-reader-, ...).
   */
  private static Set<Thread> decimerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("decimer-"))
        .collect(Collectors.toSet());
  }

  private static List<String> names(Set<Thread> threads) {
    return threads.stream().map(Thread::getName).sorted().toList();
  }
}
