package decimerbeam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** {@link ImageRef} as its directory's work plus the file. */
public final class ImageRefCoder extends CustomCoder<ImageRef> {

  private static final ImageRefCoder INSTANCE = new ImageRefCoder();

  public static ImageRefCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageRef ref, OutputStream out) throws IOException {
    DirectoryWorkCoder.of().encode(ref.work(), out);
    FileEntryCoder.of().encode(ref.file(), out);
  }

  @Override
  public ImageRef decode(InputStream in) throws IOException {
    return new ImageRef(DirectoryWorkCoder.of().decode(in), FileEntryCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
