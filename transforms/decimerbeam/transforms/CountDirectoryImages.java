package decimerbeam.transforms;

import decimerbeam.inference.ImageFormat;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/** The dry run: prints each directory with its image count; recognises and writes nothing. */
public final class CountDirectoryImages extends PTransform<PCollection<ImageRef>, PDone> {

  @Override
  public PDone expand(PCollection<ImageRef> files) {
    files
        .apply("Name by directory", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((ImageRef f) -> KV.of(f.work().directory().uri(), f.file().name())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("Group names", GroupByKey.create())
        .apply("Print counts", ParDo.of(new PrintFn()));
    return PDone.in(files.getPipeline());
  }

  static final class PrintFn extends DoFn<KV<String, Iterable<String>>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> dir) {
      int images = 0;
      int others = 0;
      for (String name : dir.getValue()) {
        if (ImageFormat.hasImageExtension(name)) {
          images++;
        } else {
          others++;
        }
      }
      System.out.printf("%s\t%d images\t%d other files%n", dir.getKey(), images, others);
    }
  }
}
