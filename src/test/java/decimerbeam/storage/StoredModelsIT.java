package decimerbeam.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.PreparedModel;
import decimerbeam.tools.Azurite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prepared model kept at an azfs:// location is copied to the local cache once and verified. */
class StoredModelsIT {

  @TempDir Path cache;

  private static void uploadModel(BlobContainerClient c, String prefix, String tokens)
      throws Exception {
    byte[] json = tokens.getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    c.getBlobClient(prefix + "saved_model/variables/index_word.json")
        .upload(BinaryData.fromBytes(json), true);
    c.getBlobClient(prefix + "manifest.json").upload(BinaryData.fromString(
        "{\"format\":1,\"modelId\":\"stored\",\"files\":{\"saved_model/variables/index_word.json\":"
            + "{\"sha256\":\"" + sha + "\"}}}"), true);
  }

  @Test
  void copiedOnceThenServedFromTheCache() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      BlobContainerClient c = azurite.container("models");
      uploadModel(c, "m1/", "{\"1\":\"C\"}");
      AzureAccess access = new AzureAccess(azurite.connectionString(), "", "", "", "", 2);
      ModelStore store = new ModelStore(cache, new StoredModels(access));
      String uri = "azfs://" + Azurite.ACCOUNT + "/models/m1/";

      PreparedModel first = store.resolve(uri);
      assertThat(first.modelId(), equalTo("stored"));
      assertThat(Files.readString(first.root().resolve("saved_model/variables/index_word.json")),
          equalTo("{\"1\":\"C\"}"));

      // The cached copy is used: the remote can disappear.
      c.getBlobClient("m1/manifest.json").delete();
      assertThat(store.resolve(uri).root(), equalTo(first.root()));
    }
  }

  @Test
  void remoteCopyThatDoesNotMatchItsManifestIsRefused() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      BlobContainerClient c = azurite.container("models");
      uploadModel(c, "bad/", "{\"1\":\"C\"}");
      c.getBlobClient("bad/saved_model/variables/index_word.json")
          .upload(BinaryData.fromString("{\"1\":\"N\"}"), true);
      AzureAccess access = new AzureAccess(azurite.connectionString(), "", "", "", "", 2);
      IOException e = assertThrows(IOException.class, () -> new ModelStore(cache,
          new StoredModels(access)).resolve("azfs://" + Azurite.ACCOUNT + "/models/bad/"));
      assertThat(e.getMessage(), containsString("does not match its manifest"));
      try (var left = Files.list(cache.resolve("models"))) {
        assertThat(left.filter(p -> !p.getFileName().toString().endsWith(".lock")).count(),
            equalTo(0L));
      }
    }
  }

  /** A blob name is not a path: "sub/../../x" must not land outside the model's cache folder. */
  @Test
  void blobNamesThatWouldLeaveTheCacheAreRefused() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      BlobContainerClient c = azurite.container("models");
      uploadModel(c, "m3/", "{\"1\":\"C\"}");
      c.getBlobClient("m3/sub/../../escaped.txt").upload(BinaryData.fromString("x"), true);
      AzureAccess access = new AzureAccess(azurite.connectionString(), "", "", "", "", 2);
      IOException e = assertThrows(IOException.class, () -> new ModelStore(cache,
          new StoredModels(access)).resolve("azfs://" + Azurite.ACCOUNT + "/models/m3/"));
      assertThat(e.getMessage(), containsString("refusing to write 'sub/../../escaped.txt'"));
      try (var all = Files.walk(cache)) {
        assertThat(all.filter(p -> p.endsWith("escaped.txt")).count(), equalTo(0L));
      }
    }
  }
}
