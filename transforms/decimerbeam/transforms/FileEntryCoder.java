package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** {@link FileEntry} as its name, location, size and version. */
public final class FileEntryCoder extends CustomCoder<FileEntry> {

  private static final FileEntryCoder INSTANCE = new FileEntryCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  // Sizes may be -1 (unknown); VarLong encodes them in ten bytes, still exact.
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static FileEntryCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(FileEntry f, OutputStream out) throws IOException {
    STRING.encode(f.name(), out);
    STRING.encode(f.location().uri(), out);
    LONG.encode(f.size(), out);
    STRING.encode(f.version(), out);
  }

  @Override
  public FileEntry decode(InputStream in) throws IOException {
    return new FileEntry(STRING.decode(in), new Location(STRING.decode(in)), LONG.decode(in),
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
