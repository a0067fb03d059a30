package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** {@link DirectoryListing} as its work, its list of files and what its output folder held. */
public final class DirectoryListingCoder extends CustomCoder<DirectoryListing> {

  private static final DirectoryListingCoder INSTANCE = new DirectoryListingCoder();
  private static final ListCoder<FileEntry> FILES =
      ListCoder.of(FileEntryCoder.of());
  private static final ListCoder<String> MARKERS = ListCoder.of(StringUtf8Coder.of());

  public static DirectoryListingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DirectoryListing listing, OutputStream out) throws IOException {
    DirectoryWorkCoder.of().encode(listing.work(), out);
    FILES.encode(listing.files(), out);
    BooleanCoder.of().encode(listing.mayHaveStagedRows(), out);
    BooleanCoder.of().encode(listing.reopened(), out);
    MARKERS.encode(listing.markers(), out);
  }

  @Override
  public DirectoryListing decode(InputStream in) throws IOException {
    return new DirectoryListing(DirectoryWorkCoder.of().decode(in), FILES.decode(in),
        BooleanCoder.of().decode(in), BooleanCoder.of().decode(in), MARKERS.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
