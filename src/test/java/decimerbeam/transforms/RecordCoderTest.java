package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.report.ReviewDigest;
import decimerbeam.report.ReviewedRow;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.results.ImageResult;
import decimerbeam.results.OddRows;
import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import decimerbeam.work.DirectoryListing;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ImageRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * The element coder keeps every field of every record that crosses a shuffle, odd ones
 * included, and a grouping key encodes the same whatever order its maps were filled in.
 */
class RecordCoderTest {

  private static final DirectoryWork WORK = new DirectoryWork(
      new Location("azfs://acct/plates/run 1/é/"), new Location("/tmp/out/run 1/é/"),
      "run 1/é", true, false, 12, "9f86d081884c7d65", "0123456789abcdef");

  @Test
  void imageRefRoundTrips() throws Exception {
    for (ImageRef ref : new ImageRef[] {
        new ImageRef(WORK, new FileEntry("ß 1.png", new Location("azfs://acct/plates/ß 1.png"),
            123_456_789_012L)),
        new ImageRef(new DirectoryWork(WORK.directory(), WORK.output(), "", false, true, 0, "",
            ""),
            new FileEntry("x.jpg", new Location("/data/x.jpg"), -1))}) {
      assertThat(roundTrip(ImageRef.class, ref), equalTo(ref));
    }
  }

  @Test
  void directoryListingRoundTrips() throws Exception {
    DirectoryListing listing = new DirectoryListing(WORK, List.of(
        new FileEntry("a.png", new Location("azfs://acct/plates/run 1/é/a.png"), 10),
        new FileEntry("b c.tif", new Location("azfs://acct/plates/run 1/é/b c.tif"), -1)),
        true);
    assertThat(roundTrip(DirectoryListing.class, listing), equalTo(listing));
  }

  @Test
  void directoryWorkRoundTrips() throws Exception {
    assertThat(roundTrip(DirectoryWork.class, WORK), equalTo(WORK));
  }

  @Test
  void resultRowsAndOutcomesRoundTripFieldByField() throws Exception {
    for (ImageResult r : OddRows.ROWS) {
      assertThat(roundTrip(ImageResult.class, r), equalTo(r));
      // A thumbnail travels between steps (results.jsonl never has it: ResultJsonTest).
      ImageResult pictured = r.withThumbnail("data:image/png;base64,iVBORw0KGgo=");
      assertThat(roundTrip(ImageResult.class, pictured), equalTo(pictured));
    }
    for (DirectoryOutcome o : List.of(
        new DirectoryOutcome("/d/", "/o/d/", DirectoryOutcome.State.DONE, 7, 5, 2, 1, 99, "", 3),
        new DirectoryOutcome("/d/", "/o/d/", DirectoryOutcome.State.DONE, 7, 5, 2, 1, 99, "", 3,
            2, Map.of("FRAGMENTS", 1, "VALENCE", 2)),
        new DirectoryOutcome("/d/", "/o/d/", DirectoryOutcome.State.DONE, 7, 5, 2, 1, 99, "", 3,
            2, Map.of("FRAGMENTS", 1), new ReviewDigest(List.of(0, 1, 0, 0, 0, 0, 2, 0, 0, 4),
                Map.of("TIMEOUT", 1, "UNREADABLE", 1), Map.of(29_000_000L, 5, 29_000_001L, 2),
                List.of(new ReviewedRow("ß 1.png", "C[Pb]", 0.5, "low",
                    List.of("UNUSUAL_ELEMENT")),
                    new ReviewedRow("b.png", "C", 0.9, "", List.of())))),
        DirectoryOutcome.failed("azfs://a/c/p/", "azfs://a/c/o/p/", "listing failed: 503"),
        DirectoryOutcome.alreadyDone("/d/", "/o/d/"))) {
      assertThat(roundTrip(DirectoryOutcome.class, o), equalTo(o));
    }
  }

  @Test
  void directoryWorkIsADeterministicGroupingKey() throws Exception {
    RecordCoder.of(DirectoryWork.class).verifyDeterministic();
    DirectoryWork same = new DirectoryWork(new Location(WORK.directory().uri()),
        new Location(WORK.output().uri()), WORK.key(), WORK.retryFailedOnly(), WORK.reprocess(),
        WORK.fileCount(), WORK.listingFingerprint(), WORK.stagingKey());
    assertThat(CoderUtils.encodeToByteArray(RecordCoder.of(DirectoryWork.class), same),
        equalTo(CoderUtils.encodeToByteArray(RecordCoder.of(DirectoryWork.class), WORK)));
  }

  @Test
  void equalMapsEncodeTheSameWhateverTheirOrder() throws Exception {
    Map<String, Integer> ab = new LinkedHashMap<>();
    ab.put("A", 1);
    ab.put("B", 2);
    Map<String, Integer> ba = new LinkedHashMap<>();
    ba.put("B", 2);
    ba.put("A", 1);
    DirectoryOutcome first = new DirectoryOutcome("/d/", "/o/d/", DirectoryOutcome.State.DONE,
        3, 3, 0, 0, 1, "", 0, 3, ab);
    DirectoryOutcome second = new DirectoryOutcome("/d/", "/o/d/", DirectoryOutcome.State.DONE,
        3, 3, 0, 0, 1, "", 0, 3, ba);
    assertThat(CoderUtils.encodeToByteArray(RecordCoder.of(DirectoryOutcome.class), first),
        equalTo(CoderUtils.encodeToByteArray(RecordCoder.of(DirectoryOutcome.class), second)));
  }

  @Test
  void theCoderTravelsWithTheJobGraphAndKnowsItsType() throws Exception {
    RecordCoder<ImageRef> coder = RecordCoder.of(ImageRef.class);
    CoderProperties.coderSerializable(coder);
    assertThat("coders of one type are equal", coder, equalTo(RecordCoder.of(ImageRef.class)));
    assertThat("coders of two types differ", coder.equals(RecordCoder.of(DirectoryWork.class)),
        equalTo(false));
  }

  private static <T extends Record> T roundTrip(Class<T> type, T value) throws Exception {
    return CoderUtils.decodeFromByteArray(RecordCoder.of(type),
        CoderUtils.encodeToByteArray(RecordCoder.of(type), value));
  }
}
