package decimerbeam.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local write reaches the disk before it is published: the temp file is forced while the
 * target does not hold it yet, and the directory is forced once the rename has put it there.
 */
class LocalWriteDurabilityTest {

  @TempDir Path tmp;

  /** Notes each step with what the target held at that moment. */
  private static final class Recording implements Durability {
    final List<String> steps = new ArrayList<>();
    final Path target;

    Recording(Path target) {
      this.target = target;
    }

    @Override
    public void force(FileChannel file) throws IOException {
      steps.add("force file of " + file.size() + " bytes, target holds " + held());
    }

    @Override
    public void forceDirectory(Path directory) throws IOException {
      steps.add("force directory " + directory.getFileName() + ", target holds " + held());
    }

    private String held() throws IOException {
      return Files.exists(target) ? "'" + Files.readString(target) + "'" : "nothing";
    }
  }

  @Test
  void theFileIsForcedBeforeTheRenameAndTheDirectoryAfter() throws IOException {
    Path target = tmp.resolve("plates/results.jsonl");
    Recording durability = new Recording(target);
    LocalStore store = new LocalStore(durability);

    store.writeAtomically(new Location(target.toString()),
        "{\"smiles\":\"C\"}".getBytes(StandardCharsets.UTF_8));
    store.writeAtomically(new Location(target.toString()),
        "{\"smiles\":\"CC\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(durability.steps, contains(
        "force file of 14 bytes, target holds nothing",
        "force directory plates, target holds '{\"smiles\":\"C\"}'",
        "force file of 15 bytes, target holds '{\"smiles\":\"C\"}'",
        "force directory plates, target holds '{\"smiles\":\"CC\"}'"));
  }

  @Test
  void fsyncOfTheFileAndTheDirectoryWorksOnThisFileSystem() throws IOException {
    Path target = tmp.resolve("out/summary.json");
    LocalStore.INSTANCE.writeAtomically(new Location(target.toString()),
        "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(target), equalTo("{}"));
    Fsync.INSTANCE.forceDirectory(tmp);
  }
}
