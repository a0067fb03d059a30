package decimerbeam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A Java record, component by component in declaration order, each with the coder of its type:
 * strings, ints, longs, doubles, booleans, enums (by name), lists, maps (in key order, so equal
 * maps encode to equal bytes) and records, nested to any depth. Rows and directories cross the
 * shuffle this way rather than by Java serialisation, which would add class descriptors and tie
 * the bytes to the class's shape; a record's fields are listed once, in the record.
 *
 * <pre>{@code
 * rows.setCoder(KvCoder.of(RecordCoder.of(DirectoryWork.class), RecordCoder.of(ImageResult.class)));
 * }</pre>
 */
public final class RecordCoder<T extends Record> extends CustomCoder<T> {

  private final Class<T> type;
  /** Built from the type on first use in each JVM: handles do not travel with the coder. */
  private transient volatile Shape shape;

  private RecordCoder(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T extends Record> RecordCoder<T> of(Class<T> type) {
    return new RecordCoder<>(type);
  }

  /** The record's components: how to read each, its coder, and the canonical constructor. */
  private record Shape(MethodHandle[] accessors, Coder<Object>[] coders, boolean[] sortedMaps,
      MethodHandle constructor) {}

  private Shape shape() {
    Shape s = shape;
    if (s == null) {
      s = shapeOf(type);
      shape = s;
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Shape shapeOf(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    MethodHandle[] accessors = new MethodHandle[components.length];
    Coder<Object>[] coders = new Coder[components.length];
    boolean[] sortedMaps = new boolean[components.length];
    Class<?>[] types = new Class<?>[components.length];
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        c.getAccessor().setAccessible(true);
        accessors[i] = lookup.unreflect(c.getAccessor());
        coders[i] = (Coder<Object>) coderFor(c.getGenericType(), type);
        sortedMaps[i] = Map.class.isAssignableFrom(c.getType());
        types[i] = c.getType();
      }
      var constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return new Shape(accessors, coders, sortedMaps, lookup.unreflectConstructor(constructor));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot code record " + type.getName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Coder<?> coderFor(Type t, Class<?> owner) {
    if (t instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return ListCoder.of(coderFor(args[0], owner));
      }
      if (raw == Map.class) {
        return MapCoder.of(coderFor(args[0], owner), coderFor(args[1], owner));
      }
    } else if (t instanceof Class<?> c) {
      if (c == String.class) {
        return StringUtf8Coder.of();
      }
      if (c == int.class || c == Integer.class) {
        return VarIntCoder.of();
      }
      if (c == long.class || c == Long.class) {
        // Sizes may be -1 (unknown): ten bytes, still exact.
        return VarLongCoder.of();
      }
      if (c == double.class || c == Double.class) {
        return DoubleCoder.of();
      }
      if (c == boolean.class || c == Boolean.class) {
        return BooleanCoder.of();
      }
      if (c.isEnum()) {
        return new EnumCoder(c);
      }
      if (c.isRecord()) {
        return new RecordCoder(c);
      }
    }
    throw new IllegalArgumentException("no coder for " + t.getTypeName() + " in record "
        + owner.getName());
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    Shape s = shape();
    for (int i = 0; i < s.accessors().length; i++) {
      Object v = get(s.accessors()[i], value);
      if (s.sortedMaps()[i]) {
        v = new TreeMap<>((Map<?, ?>) v);
      }
      s.coders()[i].encode(v, out);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T decode(InputStream in) throws IOException {
    Shape s = shape();
    Object[] args = new Object[s.coders().length];
    for (int i = 0; i < args.length; i++) {
      args[i] = s.coders()[i].decode(in);
    }
    try {
      return (T) s.constructor().invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException("cannot rebuild " + type.getName(), e);
    }
  }

  private static Object get(MethodHandle accessor, Object record) {
    try {
      return accessor.invoke(record);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic when every component is: maps count, as they are written in key order. */
  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    Shape s = shape();
    for (int i = 0; i < s.coders().length; i++) {
      Coder<?> c = s.coders()[i];
      if (c instanceof MapCoder<?, ?> m) {
        verifyDeterministic(this, "map keys of " + type.getSimpleName(), m.getKeyCoder());
        verifyDeterministic(this, "map values of " + type.getSimpleName(), m.getValueCoder());
      } else {
        verifyDeterministic(this, "components of " + type.getSimpleName(), c);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordCoder<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "RecordCoder<" + type.getSimpleName() + ">";
  }

  /** An enum constant by its name. */
  private static final class EnumCoder<E extends Enum<E>> extends CustomCoder<E> {
    private final Class<E> type;

    EnumCoder(Class<E> type) {
      this.type = type;
    }

    @Override
    public void encode(E value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.name(), out);
    }

    @Override
    public E decode(InputStream in) throws IOException {
      return Enum.valueOf(type, StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof EnumCoder<?> other && other.type.equals(type);
    }

    @Override
    public int hashCode() {
      return type.hashCode();
    }
  }
}
