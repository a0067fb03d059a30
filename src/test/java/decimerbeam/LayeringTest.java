package decimerbeam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The folders' layering, read from the sources' imports: the engine, the storage, the report,
 * what a run has to do, a directory's results and what a worker holds know no Beam; storage
 * knows no report; transforms/ holds only Beam code; and the tools (built with the tests) never
 * reach into the tests' own helpers, which use the tools.
 */
class LayeringTest {

  @Test
  void inferenceKnowsNoBeamAndNothingAboveIt() {
    assertThat("imports in inference/ of Beam or of the layers above it",
        importsMatching("inference",
            "org.apache.beam.", "decimerbeam.storage.", "decimerbeam.transforms.",
            "decimerbeam.pipeline.", "decimerbeam.report.", "decimerbeam.worker.",
            "decimerbeam.results.", "decimerbeam.work."),
        empty());
  }

  @Test
  void storageKnowsNoBeamNoReportAndNoPipeline() {
    assertThat("imports in storage/ of Beam, the report or the layers above it",
        importsMatching("storage",
            "org.apache.beam.", "decimerbeam.report.", "decimerbeam.transforms.",
            "decimerbeam.pipeline.", "decimerbeam.worker.", "decimerbeam.results.",
            "decimerbeam.work."),
        empty());
  }

  @Test
  void theReportKnowsNoBeamAndNoPipeline() {
    assertThat("imports in report/ of Beam or of the layers that run it",
        importsMatching("report", "org.apache.beam.", "decimerbeam.transforms.",
            "decimerbeam.pipeline.", "decimerbeam.worker.", "decimerbeam.results.",
            "decimerbeam.work."),
        empty());
  }

  @Test
  void whatARunHasToDoKnowsNoBeamNoWorkerAndNoResults() {
    assertThat("imports in work/ of Beam, the worker's resources, the results or the layers"
            + " that run them",
        importsMatching("work", "org.apache.beam.", "decimerbeam.transforms.",
            "decimerbeam.pipeline.", "decimerbeam.worker.", "decimerbeam.results."),
        empty());
  }

  @Test
  void theResultsKnowNoBeamAndNoPipeline() {
    assertThat("imports in results/ of Beam or of the layers that run it",
        importsMatching("results", "org.apache.beam.", "decimerbeam.transforms.",
            "decimerbeam.pipeline."),
        empty());
  }

  @Test
  void theWorkerKnowsNoBeamAndNothingOfTheRun() {
    assertThat("imports in worker/ of Beam, of what a run has to do, of its results or of the"
            + " layers that run it",
        importsMatching("worker", "org.apache.beam.", "decimerbeam.transforms.",
            "decimerbeam.pipeline.", "decimerbeam.work.", "decimerbeam.results.",
            "decimerbeam.report."),
        empty());
  }

  @Test
  void transformsHoldsOnlyBeamCode() {
    assertThat("files in transforms/ that import no Beam (they belong in worker/, results/ or"
            + " work/)",
        filesWithout("transforms", "org.apache.beam."), empty());
  }

  @Test
  void toolsDoNotImportTheTestsHelpers() {
    assertThat("imports in tools/java of the tests' helpers (src/test uses the tools)",
        importsMatching("tools/java", "decimerbeam.testing."), empty());
  }

  /** "file: import line" for each import in a folder's Java sources that starts as given. */
  private static List<String> importsMatching(String folder, String... prefixes) {
    Path root = Path.of(folder);
    assertThat("source folder " + root.toAbsolutePath() + " exists (run from the project root)",
        Files.isDirectory(root));
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java"))
          .flatMap(p -> lines(p).stream()
              .map(String::strip)
              .filter(l -> l.startsWith("import "))
              .filter(l -> Stream.of(prefixes).anyMatch(x -> l.replace("import static ", "")
                  .replace("import ", "").startsWith(x)))
              .map(l -> root.relativize(p) + ": " + l))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Java sources of a folder, relative to it, that import nothing starting as given. */
  private static List<String> filesWithout(String folder, String prefix) {
    Path root = Path.of(folder);
    assertThat("source folder " + root.toAbsolutePath() + " exists (run from the project root)",
        Files.isDirectory(root));
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> lines(p).stream().map(String::strip)
              .filter(l -> l.startsWith("import "))
              .noneMatch(l -> l.replace("import static ", "").replace("import ", "")
                  .startsWith(prefix)))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
