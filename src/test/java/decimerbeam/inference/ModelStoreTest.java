package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  @TempDir Path tmp;

  private Path fakeModel(Path dir) throws IOException {
    return fakeModel(dir, "fake", "{}", "{}");
  }

  /** A verifiable model directory whose manifest names {@code id}, originals and source. */
  private Path fakeModel(Path dir, String id, String originals, String source)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index_word.json"), "{\"1\": \"C\"}");
    String sha = ModelManifest.sha256(dir.resolve("index_word.json"));
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": 1, \"modelId\": \"" + id
        + "\", \"source\": " + source + ", \"originalSha256\": " + originals
        + ", \"cachedDecoder\": {\"dir\": \"cached_decoder\"}"
        + ", \"files\": {\"index_word.json\": {\"sha256\": \"" + sha + "\"}}}");
    return dir;
  }

  private static String originals(Map<String, String> sums) throws IOException {
    return new ObjectMapper().writeValueAsString(sums);
  }

  private static final Map<String, String> PINNED =
      ModelStore.PINNED_ORIGINALS.get(ModelStore.PRINTED);

  @Test
  void printedModelPreparedFromThePinnedOriginalsOpens() throws IOException {
    fakeModel(tmp.resolve("models").resolve(ModelStore.PRINTED), ModelStore.PRINTED,
        originals(PINNED), "{}");
    assertThat(new ModelStore(tmp).resolve(ModelStore.PRINTED).modelId(),
        equalTo(ModelStore.PRINTED));
  }

  /** The cache folder of one model id holding another model is refused, not loaded. */
  @Test
  void manifestForAnotherModelIdIsRefused() throws IOException {
    fakeModel(tmp.resolve("models").resolve(ModelStore.PRINTED), "fake", "{}", "{}");
    IOException e = assertThrows(IOException.class,
        () -> new ModelStore(tmp).resolve(ModelStore.PRINTED));
    assertThat(e.getMessage(), containsString("says it is fake, not the requested "
        + ModelStore.PRINTED));
  }

  /** A manifest consistent with itself but made from other originals is refused. */
  @Test
  void printedModelFromOtherOriginalsIsRefused() throws IOException {
    Map<String, String> other = new TreeMap<>(PINNED);
    other.put("assets/tokenizer_SMILES.pkl", "0".repeat(64));
    Path dir = fakeModel(tmp.resolve("models").resolve(ModelStore.PRINTED), ModelStore.PRINTED,
        originals(other), "{}");
    IOException e = assertThrows(IOException.class,
        () -> new ModelStore(tmp).resolve(ModelStore.PRINTED));
    assertThat(e.getMessage(), containsString("not prepared from the originals decimer-beam "
        + "pins: assets/tokenizer_SMILES.pkl was " + "0".repeat(64)));
    // Also when the directory is named directly.
    assertThrows(IOException.class, () -> ModelStore.open(dir));
  }

  @Test
  void handdrawnModelNeedsTheChecksumTheUserGave() throws IOException {
    String sha = "a".repeat(64);
    Path models = tmp.resolve("models");
    fakeModel(models.resolve(ModelStore.HANDDRAWN), ModelStore.HANDDRAWN, "{}",
        "{\"archiveSha256\": \"" + sha + "\"}");
    IOException e = assertThrows(IOException.class,
        () -> new ModelStore(tmp).resolve(ModelStore.HANDDRAWN));
    assertThat(e.getMessage(), containsString("--sha256"));

    fakeModel(models.resolve(ModelStore.HANDDRAWN), ModelStore.HANDDRAWN, "{}",
        "{\"archiveSha256\": \"" + sha + "\", \"userSha256\": \"" + sha + "\"}");
    assertThat(new ModelStore(tmp).resolve(ModelStore.HANDDRAWN).modelId(),
        equalTo(ModelStore.HANDDRAWN));
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
    assertThat("the waiting process ended once the model was there, not hung",
        second.waitFor(60, TimeUnit.SECONDS), equalTo(true));
    String rest = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(rest, containsString("already prepared"));
    assertThat(second.exitValue(), equalTo(0));
  }

  /** A remote store backed by a local folder: "mem://m" is {@code remoteRoot}. */
  private RemoteModels folderRemote(Path remoteRoot) {
    return new RemoteModels() {
      @Override
      public boolean handles(String location) {
        return location.startsWith("mem://");
      }

      @Override
      public void copyTo(String location, Path target) throws IOException {
        for (String f : new String[] {"index_word.json", "manifest.json"}) {
          Files.copy(remoteRoot.resolve(f), target.resolve(f));
        }
      }

      @Override
      public byte[] readManifest(String location) throws IOException {
        return Files.readAllBytes(remoteRoot.resolve("manifest.json"));
      }
    };
  }

  private void changeRemote(Path remote) throws IOException {
    Files.writeString(remote.resolve("index_word.json"), "{\"1\": \"N\"}");
    String sha = ModelManifest.sha256(remote.resolve("index_word.json"));
    Files.writeString(remote.resolve("manifest.json"), "{\"format\": 1, \"modelId\": \"fake\", "
        + "\"files\": {\"index_word.json\": {\"sha256\": \"" + sha + "\"}}}");
  }

  /**
   * The launcher pins the manifest it saw; a worker that copies the model after it changed
   * remotely fails its setup instead of recognising with another model.
   */
  @Test
  void remoteModelThatChangedAfterLaunchFailsTheWorker() throws IOException {
    Path remote = fakeModel(tmp.resolve("remote"));
    RemoteModels models = folderRemote(remote);
    String pin = new ModelStore(tmp.resolve("launcher"), models).remoteManifestSha256("mem://m");
    PreparedModel first = new ModelStore(tmp.resolve("worker1"), models).resolve("mem://m", pin);
    assertThat(ModelManifest.sha256(first.manifest()), equalTo(pin));

    changeRemote(remote);
    IOException e = assertThrows(IOException.class,
        () -> new ModelStore(tmp.resolve("worker2"), models).resolve("mem://m", pin));
    assertThat(e.getMessage(), containsString("not the one the job was launched with"));
    assertThat(e.getMessage(), containsString(pin));
    // The worker that copied it before the change keeps the pinned model.
    assertThat(ModelManifest.sha256(new ModelStore(tmp.resolve("worker1"), models)
        .resolve("mem://m", pin).manifest()), equalTo(pin));
  }

  /** A worker holding an older cached copy takes the one the launcher pinned, not its own. */
  @Test
  void workerWithAnOlderCachedCopyLoadsThePinnedOne() throws IOException {
    Path remote = fakeModel(tmp.resolve("remote"));
    RemoteModels models = folderRemote(remote);
    ModelStore worker = new ModelStore(tmp.resolve("worker"), models);
    worker.resolve("mem://m");
    changeRemote(remote);
    String pin = new ModelStore(tmp.resolve("launcher"), models).remoteManifestSha256("mem://m");
    PreparedModel used = worker.resolve("mem://m", pin);
    assertThat(Files.readString(used.indexWordJson()), equalTo("{\"1\": \"N\"}"));
  }
}
