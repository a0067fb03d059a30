package decimerbeam.transforms;

import decimerbeam.storage.FileEntry;
import decimerbeam.storage.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** {@link ImageRef} as its directory's work plus the file's name, location and size. */
public final class ImageRefCoder extends CustomCoder<ImageRef> {

  private static final ImageRefCoder INSTANCE = new ImageRefCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  // Sizes may be -1 (unknown); VarLong encodes them in ten bytes, still exact.
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static ImageRefCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageRef ref, OutputStream out) throws IOException {
    DirectoryWorkCoder.of().encode(ref.work(), out);
    STRING.encode(ref.file().name(), out);
    STRING.encode(ref.file().location().uri(), out);
    LONG.encode(ref.file().size(), out);
  }

  @Override
  public ImageRef decode(InputStream in) throws IOException {
    DirectoryWork work = DirectoryWorkCoder.of().decode(in);
    return new ImageRef(work, new FileEntry(STRING.decode(in), new Location(STRING.decode(in)),
        LONG.decode(in)));
  }

  @Override
  public void verifyDeterministic() {}
}
