package decimerbeam.transforms;

import decimerbeam.results.DirectoryOutcome;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.work.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery and listing on local folders (Azure: {@link ExpandDirectoriesAzureIT}): nested directories are found, empty ones are not,
 * every file of a directory (image or not) is listed once, finished directories are skipped,
 * globs select directories, the output tree is never taken for input.
 */
class ExpandDirectoriesTest {

  @TempDir Path tmp;

  /** Layout: a/1.png a/notes.txt a/sub/3.png b/(empty) c/4.jpg; c finished before. */
  static void layout(String root, BiConsumer<String, byte[]> put) {
    put.accept(root + "a/1.png", new byte[] {1});
    put.accept(root + "a/notes.txt", new byte[] {2});
    put.accept(root + "a/sub/3.png", new byte[] {3});
    put.accept(root + "c/4.jpg", new byte[] {4});
  }

  static ExpandDirectories expand(List<String> inputs, AzureAccess azure, String output) {
    return ExpandDirectories.of(inputs, Location.directory(output)).withStorage(azure)
        .withListingParallelism(4);
  }

  static void expectAndRun(ExpandDirectories expand, List<String> files,
      List<String> alreadyDone) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionTuple out = p.apply(expand);
    PAssert.that(out.get(ExpandDirectories.files())
            .apply(MapElements.into(TypeDescriptors.strings())
                .via((ImageRef r) -> r.work().key() + "/" + r.file().name())))
        .containsInAnyOrder(files);
    PAssert.that(out.get(ExpandDirectories.outcomes())
            .apply(MapElements.into(TypeDescriptors.strings())
                .via((DirectoryOutcome o) -> o.state() + " " + o.output())))
        .containsInAnyOrder(alreadyDone);
    p.run().waitUntilFinish();
  }

  @Test
  void localFolders() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("plates"));
    layout(in + "/", (rel, bytes) -> {
      try {
        Files.createDirectories(Path.of(rel).getParent());
        Files.write(Path.of(rel), bytes);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Files.createDirectories(in.resolve("b"));
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("plates/c"));
    Files.writeString(out.resolve("plates/c/summary.json"), "{}");

    expectAndRun(expand(List.of(in + "/"), AzureAccess.none(), out + "/"),
        List.of("plates/a/1.png", "plates/a/notes.txt", "plates/a/sub/3.png"),
        List.of("ALREADY_DONE " + out + "/plates/c/"));
    // Spread over known workers, the same files come out.
    expectAndRun(expand(List.of(in + "/"), AzureAccess.none(), out + "/")
            .withWorkers(5, (key, workers) -> Math.floorMod(Long.hashCode(key), workers)),
        List.of("plates/a/1.png", "plates/a/notes.txt", "plates/a/sub/3.png"),
        List.of("ALREADY_DONE " + out + "/plates/c/"));
    // A glob selects directories; each match is its own root.
    expectAndRun(expand(List.of(in + "/?*/", in + "/a*/"), AzureAccess.none(), out + "/"),
        List.of("a/1.png", "a/notes.txt", "a/sub/3.png", "c/4.jpg",
            "a/1.png", "a/notes.txt", "a/sub/3.png"), List.of());
  }
}
