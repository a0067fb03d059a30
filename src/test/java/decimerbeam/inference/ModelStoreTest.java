package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  @TempDir Path tmp;

  private Path fakeModel(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index_word.json"), "{\"1\": \"C\"}");
    String sha = ModelManifest.sha256(dir.resolve("index_word.json"));
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": 1, \"modelId\": \"fake\", "
        + "\"files\": {\"index_word.json\": {\"sha256\": \"" + sha + "\"}}}");
    return dir;
  }

  @Test
  void verifiedDirectoryOpens() throws IOException {
    PreparedModel m = ModelStore.open(fakeModel(tmp.resolve("m")));
    assertThat(m.modelId(), equalTo("fake"));
  }

  @Test
  void changedFileIsRefusedWithItsName() throws IOException {
    Path dir = fakeModel(tmp.resolve("m"));
    Files.writeString(dir.resolve("index_word.json"), "{\"1\": \"N\"}");
    IOException e = assertThrows(IOException.class, () -> ModelStore.open(dir));
    assertThat(e.getMessage(), containsString("index_word.json has sha256"));
    assertThat(e.getMessage(), containsString("prepare it again"));
  }

  @Test
  void directoryWithoutManifestSaysWhatToDo() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    IOException e = assertThrows(IOException.class, () -> ModelStore.open(dir));
    assertThat(e.getMessage(), containsString("prepare-model"));
  }

  @Test
  void unknownLocationIsNamed() {
    IOException e = assertThrows(IOException.class,
        () -> new ModelStore(tmp).resolve("/no/such/model"));
    assertThat(e.getMessage(), containsString("/no/such/model"));
  }

  /**
   * A second preparation waits on the first one's lock and, once the model is in place, leaves
   * it alone instead of preparing it again.
   */
  @Test
  void concurrentPreparationWaitsThenReusesTheModel() throws Exception {
    Path models = Files.createDirectories(tmp.resolve("models"));
    Path lockFile = models.resolve(".decimer-2.8-printed.lock");
    Process second;
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      second = new ProcessBuilder("python3", "tools/prepare_model.py", "--cache", tmp.toString(),
          "--source", "/nonexistent.zip")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine(), containsString("waiting"));
      // The "first" process finishes its model while the second one waits.
      fakeModel(models.resolve("decimer-2.8-printed"));
    }
    assertThat(second.waitFor(60, TimeUnit.SECONDS), equalTo(true));
    String rest = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(rest, containsString("already prepared"));
    assertThat(second.exitValue(), equalTo(0));
  }
}
