package decimerbeam.storage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.core.util.BinaryData;
import decimerbeam.tools.Azurite;
import decimerbeam.tools.StorageCalls;
import decimerbeam.tools.StorageProxy;
import decimerbeam.tools.StorageRequestKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Azure semantics against Azurite: paging, hierarchy, overwrite, and secrets kept out of errors. */
class AzureStoreIT {

  private static Azurite azurite;
  private static AzureAccess access;
  private static final String ROOT = "azfs://" + Azurite.ACCOUNT + "/store-test/";

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    access = new AzureAccess(azurite.connectionString(), "", "", "", "", 2);
    var c = azurite.container("store-test");
    for (int i = 0; i < 12; i++) {
      c.getBlobClient("dir/img-" + i + ".png").upload(BinaryData.fromString("x" + i));
    }
    c.getBlobClient("dir/sub/deep.png").upload(BinaryData.fromString("d"));
  }

  @AfterAll
  static void stop() throws IOException {
    azurite.close();
  }

  @Test
  void listsOneLevelOnly() throws IOException {
    BlobStore store = Stores.forLocation(Location.parse(ROOT), access);
    BlobStore.Level level = store.listLevel(Location.parse(ROOT + "dir/"));
    assertThat("dir/ has files", level.hasFiles(), is(true));
    assertThat(level.subdirectories(), equalTo(List.of(Location.parse(ROOT + "dir/sub/"))));
    List<String> names = level.files().stream().map(FileEntry::name).toList();
    assertThat(names.size(), equalTo(12));
    assertThat(names, not(hasItem("sub/deep.png")));
    assertThat(level.files().get(0).location(),
        equalTo(Location.parse(ROOT + "dir/" + names.get(0))));
  }

  @Test
  void aContainerThatDoesNotExistListsAsEmptyAndReadsAsAbsent() throws IOException {
    Location missing = Location.parse("azfs://" + Azurite.ACCOUNT + "/no-such-container/run/");
    BlobStore store = Stores.forLocation(missing, access);
    BlobStore.Level level = store.listLevel(missing);
    assertThat(level.files(), empty());
    assertThat(level.subdirectories(), empty());
    assertThat("summary.json in a missing container reads as absent",
        store.readIfExists(missing.resolve("summary.json")).isPresent(), equalTo(false));
  }

  @Test
  void deletingATreeRemovesOnlyWhatIsBelowIt() throws IOException {
    BlobStore store = Stores.forLocation(Location.parse(ROOT), access);
    store.writeAtomically(Location.parse(ROOT + "tree/_staging/k/a.jsonl"), new byte[] {1});
    store.writeAtomically(Location.parse(ROOT + "tree/_staging/k/b.jsonl"), new byte[] {2});
    store.writeAtomically(Location.parse(ROOT + "tree/results.jsonl"), new byte[] {3});
    store.deleteAll(Location.parse(ROOT + "tree/_staging/"));
    BlobStore.Level level = store.listLevel(Location.parse(ROOT + "tree/"));
    assertThat(level.subdirectories(), empty());
    assertThat(level.files().size(), equalTo(1));
    store.deleteIfExists(Location.parse(ROOT + "tree/results.jsonl"));
    store.deleteIfExists(Location.parse(ROOT + "tree/results.jsonl"));
    assertThat("tree/results.jsonl is deleted",
        store.exists(Location.parse(ROOT + "tree/results.jsonl")), equalTo(false));
  }

  @Test
  void overwriteReplacesTheWholeBlob() throws IOException {
    BlobStore store = Stores.forLocation(Location.parse(ROOT), access);
    Location f = Location.parse(ROOT + "out/x/results.jsonl");
    store.writeAtomically(f, "first version, longer".getBytes(StandardCharsets.UTF_8));
    store.writeAtomically(f, "second".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(store.read(f), StandardCharsets.UTF_8), equalTo("second"));
    // A container that does not exist yet is created for output.
    Location other = Location.parse("azfs://" + Azurite.ACCOUNT + "/fresh-output/a.json");
    store.writeAtomically(other, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat("a.json is written into the new container", store.exists(other), is(true));
  }

  /**
   * Staging makes one write per directory and checkpoint: each must be one request, not an
   * existence check of the container before it.
   */
  @Test
  void aWriteToAnExistingContainerIsOneRequest() throws IOException {
    try (StorageProxy proxy = StorageProxy.inFrontOf(azurite)) {
      AzureAccess viaProxy = new AzureAccess(proxy.connectionString(), "", "", "", "", 2);
      BlobStore store = Stores.forLocation(Location.parse(ROOT), viaProxy);
      StorageCalls before = proxy.calls();
      for (int i = 0; i < 3; i++) {
        store.writeAtomically(Location.parse(ROOT + "writes/f" + i + ".json"),
            ("{}" + i).getBytes(StandardCharsets.UTF_8));
      }
      StorageCalls used = proxy.calls().minus(before);
      assertThat(used.toString(), used.totalReceived(), equalTo(3L));
      assertThat(used.received(StorageRequestKind.WRITE), equalTo(3L));
    }
  }

  @Test
  void wrongKeyFailsWithoutShowingIt() {
    String secret = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWstMTIzNDU2Nzg5MA==";
    AzureAccess wrong = new AzureAccess("", Azurite.ACCOUNT, secret, "", azurite.endpoint(), 1);
    BlobStore store = Stores.forLocation(Location.parse(ROOT), wrong);
    IOException e = assertThrows(IOException.class,
        () -> store.read(Location.parse(ROOT + "dir/img-1.png")));
    assertThat(e.getMessage(), containsString("403"));
    assertThat(e.getMessage(), not(containsString(secret)));
    assertThat(wrong.toString(), not(containsString(secret)));
  }

  @Test
  void sasSignaturesAreRedacted() {
    String msg = Redaction.clean("GET https://acct.blob.core.windows.net/c/x.png?sv=2021&sig=abc%2Fdef "
        + "failed; AccountKey=abcd==;");
    assertThat(msg, not(containsString("abc%2Fdef")));
    assertThat(msg, not(containsString("abcd==")));
  }
}
