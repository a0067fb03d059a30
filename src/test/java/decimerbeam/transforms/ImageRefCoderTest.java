package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The element coders of the expansion keep every field, including odd ones. */
class ImageRefCoderTest {

  private static final DirectoryWork WORK = new DirectoryWork(
      new Location("azfs://acct/plates/run 1/é/"), new Location("/tmp/out/run 1/é/"),
      "run 1/é", true);

  @Test
  void imageRefRoundTrips() throws Exception {
    for (ImageRef ref : new ImageRef[] {
        new ImageRef(WORK, new FileEntry("ß 1.png", new Location("azfs://acct/plates/ß 1.png"),
            123_456_789_012L)),
        new ImageRef(new DirectoryWork(WORK.directory(), WORK.output(), "", false),
            new FileEntry("x.jpg", new Location("/data/x.jpg"), -1))}) {
      byte[] bytes = CoderUtils.encodeToByteArray(ImageRefCoder.of(), ref);
      assertThat(CoderUtils.decodeFromByteArray(ImageRefCoder.of(), bytes), equalTo(ref));
    }
  }

  @Test
  void directoryListingRoundTrips() throws Exception {
    DirectoryListing listing = new DirectoryListing(WORK, List.of(
        new FileEntry("a.png", new Location("azfs://acct/plates/run 1/é/a.png"), 10),
        new FileEntry("b c.tif", new Location("azfs://acct/plates/run 1/é/b c.tif"), -1)));
    byte[] bytes = CoderUtils.encodeToByteArray(DirectoryListingCoder.of(), listing);
    assertThat(CoderUtils.decodeFromByteArray(DirectoryListingCoder.of(), bytes),
        equalTo(listing));
  }

  @Test
  void directoryWorkRoundTrips() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(DirectoryWorkCoder.of(), WORK);
    assertThat(CoderUtils.decodeFromByteArray(DirectoryWorkCoder.of(), bytes), equalTo(WORK));
  }
}
