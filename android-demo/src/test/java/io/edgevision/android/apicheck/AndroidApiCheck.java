package io.edgevision.android.apicheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fails the build when code on the app's path refers to a class, method or field that the Android
 * platform of the app's {@code minSdk} does not have (e.g. {@code jdk.jfr}, {@code java.awt},
 * {@code java.lang.ref.Cleaner} before API 33, {@code ByteBuffer.slice(int, int)} before API 34).
 *
 * <p>The input is D8's desugared class-file output ({@code d8 --classfile --min-api N}), so
 * lambdas, string concatenation, records and the JDK methods D8 backports have already been
 * rewritten the way they will be in the APK. The platform is the animal-sniffer signature of the
 * {@code minSdk} API level ({@code net.sf.androidscents.signature:android-api-level-N}: every
 * public class and member of that release's {@code android.*} and {@code java.*} libraries).
 * Starting from the app's classes, the check follows references into every traversed program class
 * (the SDK's own) and resolves each reference that leaves the program against the platform, walking
 * superclasses and interfaces as the VM does. Classes that the Android path never loads (guarded by
 * a runtime check, each with its reason) are not followed.
 *
 * <p>Not thread-safe; one instance per check.
 */
final class AndroidApiCheck {
  /** One reference the platform cannot satisfy. */
  record Violation(String fromClass, String missing) {
    @Override
    public String toString() {
      return fromClass.replace('/', '.') + " -> " + missing;
    }
  }

  private final ClassPool program;
  private final Platform platform;
  private final Predicate<String> traverse;
  private final Map<String, String> neverLoaded;
  private final Map<String, String> neverCalled;

  /**
   * @param program the classes that go into the app (desugared)
   * @param platform the Android platform at {@code minSdk}
   * @param traverse which program classes to follow (internal names); others are trusted as their
   *     vendor built them for Android
   * @param neverLoaded program classes the Android path never loads (behind a runtime check),
   *     mapped to the reason; not followed
   * @param neverCalled desktop-only methods ({@code owner.name(descriptor)}, internal names),
   *     mapped to the reason: their code is not checked, and any call to them from the checked code
   *     is itself a violation
   */
  AndroidApiCheck(
      ClassPool program,
      Platform platform,
      Predicate<String> traverse,
      Map<String, String> neverLoaded,
      Map<String, String> neverCalled) {
    this.program = program;
    this.platform = platform;
    this.traverse = traverse;
    this.neverLoaded = Map.copyOf(neverLoaded);
    this.neverCalled = Map.copyOf(neverCalled);
  }

  /**
   * @param roots internal names of the classes the app starts from
   * @return the violations, sorted; empty when the path only uses what the platform has
   */
  List<Violation> check(Collection<String> roots) {
    Set<Violation> out = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    for (String r : roots) {
      if (program.find(r).isEmpty()) {
        throw new IllegalArgumentException("root " + r + " is not among the program classes");
      }
      queue.add(r);
    }
    while (!queue.isEmpty()) {
      String name = queue.poll();
      if (!seen.add(name)) {
        continue;
      }
      ClassFile cf = program.find(name).orElseThrow();
      Set<String> skip = new HashSet<>();
      for (String m : cf.methods) {
        if (neverCalled.containsKey(name + "." + m)) {
          skip.add(m);
        }
      }
      ClassFile.Refs refs = cf.refs(skip);
      for (String ref : refs.classes) {
        Optional<ClassFile> inProgram = program.find(ref);
        if (inProgram.isPresent()) {
          if (traverse.test(ref) && !neverLoaded.containsKey(ref)) {
            queue.add(ref);
          }
        } else if (platform.find(ref).isEmpty()) {
          out.add(new Violation(name, "class " + ref.replace('/', '.')));
        }
      }
      for (ClassFile.MemberRef m : refs.members) {
        String key = m.owner() + "." + m.name() + m.descriptor();
        if (neverCalled.containsKey(key)) {
          out.add(
              new Violation(
                  name,
                  "call to " + m + ", declared never called on Android: " + neverCalled.get(key)));
        }
        if (program.find(m.owner()).isPresent() && !reachesPlatform(m.owner())) {
          continue;
        }
        if (lookup(m.owner()).isEmpty()) {
          continue;
        }
        boolean found =
            m.method()
                ? hasMethod(m.owner(), m.name(), m.descriptor(), new HashSet<>())
                : hasField(m.owner(), m.name(), new HashSet<>());
        if (!found) {
          out.add(new Violation(name, (m.method() ? "method " : "field ") + m));
        }
      }
    }
    List<Violation> sorted = new ArrayList<>(out);
    sorted.sort((x, y) -> x.toString().compareTo(y.toString()));
    return sorted;
  }

  /**
   * True when the class, or one of its supertypes, is a platform class (so its members need
   * resolving).
   */
  private boolean reachesPlatform(String owner) {
    ClassFile cf = program.find(owner).orElse(null);
    if (cf == null) {
      return true;
    }
    if (!cf.superName.isEmpty() && reachesPlatformSuper(cf.superName)) {
      return true;
    }
    for (String i : cf.interfaces) {
      if (reachesPlatformSuper(i)) {
        return true;
      }
    }
    return false;
  }

  private boolean reachesPlatformSuper(String type) {
    return !type.equals("java/lang/Object") && reachesPlatform(type);
  }

  private Optional<ClassFile> lookup(String name) {
    Optional<ClassFile> p = program.find(name);
    return p.isPresent() ? p : platform.find(name);
  }

  private boolean hasMethod(String owner, String name, String descriptor, Set<String> visited) {
    if (!visited.add(owner)) {
      return false;
    }
    Optional<ClassFile> c = lookup(owner);
    if (c.isEmpty()) {
      return false;
    }
    ClassFile cf = c.get();
    if (cf.methods.contains(name + descriptor)) {
      return true;
    }
    if ((owner.equals("java/lang/invoke/MethodHandle")
            || owner.equals("java/lang/invoke/VarHandle"))
        && cf.methods.stream().anyMatch(m -> m.startsWith(name + "("))) {
      return true; // signature-polymorphic (JVMS §2.9.3): any descriptor links
    }
    if (!cf.superName.isEmpty() && hasMethod(cf.superName, name, descriptor, visited)) {
      return true;
    }
    for (String i : cf.interfaces) {
      if (hasMethod(i, name, descriptor, visited)) {
        return true;
      }
    }
    return cf.superName.isEmpty()
        ? false
        : hasMethod("java/lang/Object", name, descriptor, visited);
  }

  private boolean hasField(String owner, String name, Set<String> visited) {
    if (!visited.add(owner)) {
      return false;
    }
    Optional<ClassFile> c = lookup(owner);
    if (c.isEmpty()) {
      return false;
    }
    ClassFile cf = c.get();
    if (cf.fields.contains(name)) {
      return true;
    }
    for (String i : cf.interfaces) {
      if (hasField(i, name, visited)) {
        return true;
      }
    }
    return !cf.superName.isEmpty() && hasField(cf.superName, name, visited);
  }

  /**
   * The platform's classes, from an animal-sniffer signature file (a gzipped Java serialization
   * stream of {@code org.codehaus.mojo.animal_sniffer.Clazz}, ended by {@code null}).
   *
   * <p>Immutable after loading; thread-safe.
   */
  static final class Platform {
    private final Map<String, ClassFile> classes;

    private Platform(Map<String, ClassFile> classes) {
      this.classes = Map.copyOf(classes);
    }

    /**
     * @param signature the signature file
     * @return the platform
     * @throws UncheckedIOException when the file cannot be read or is not a signature
     */
    static Platform load(Path signature) {
      Map<String, ClassFile> classes = new HashMap<>();
      try (var in =
          new java.io.ObjectInputStream(
              new java.util.zip.GZIPInputStream(Files.newInputStream(signature)))) {
        Object o;
        while ((o = in.readObject()) != null) {
          org.codehaus.mojo.animal_sniffer.Clazz c = (org.codehaus.mojo.animal_sniffer.Clazz) o;
          classes.put(
              c.getName(),
              ClassFile.ofSignature(
                  c.getName(),
                  c.getSuperClass(),
                  List.of(c.getSuperInterfaces()),
                  c.getSignatures()));
        }
      } catch (IOException | ClassNotFoundException | ClassCastException e) {
        throw new UncheckedIOException(
            "expected an animal-sniffer signature file, cannot read " + signature,
            e instanceof IOException io ? io : new IOException(e));
      }
      if (classes.isEmpty()) {
        throw new UncheckedIOException(
            new IOException("signature " + signature + " holds no classes"));
      }
      return new Platform(classes);
    }

    Optional<ClassFile> find(String internalName) {
      return Optional.ofNullable(classes.get(internalName));
    }

    int size() {
      return classes.size();
    }
  }

  /**
   * Classes by internal name, read lazily from jars and class-file directories.
   *
   * <p>Not thread-safe. Close to release the jars.
   */
  static final class ClassPool implements AutoCloseable {
    private final List<ZipFile> jars = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final Map<String, Optional<ClassFile>> cache = new HashMap<>();

    /**
     * @param roots jar files or directories of class files
     * @return the pool
     * @throws UncheckedIOException when a jar cannot be opened
     * @throws IllegalArgumentException when a root does not exist
     */
    static ClassPool of(Collection<Path> roots) {
      ClassPool pool = new ClassPool();
      for (Path p : roots) {
        if (Files.isDirectory(p)) {
          pool.dirs.add(p);
        } else if (Files.isRegularFile(p)) {
          try {
            pool.jars.add(new ZipFile(p.toFile()));
          } catch (IOException e) {
            pool.close();
            throw new UncheckedIOException("cannot open " + p, e);
          }
        } else {
          pool.close();
          throw new IllegalArgumentException(
              "expected a jar or a directory of classes, got missing path " + p);
        }
      }
      return pool;
    }

    Optional<ClassFile> find(String internalName) {
      return cache.computeIfAbsent(internalName, this::load);
    }

    /**
     * @return internal names of the classes under {@code packagePrefix} in the directories of this
     *     pool
     */
    Set<String> classesIn(String packagePrefix) {
      Set<String> names = new TreeSet<>();
      for (Path d : dirs) {
        Path base = d.resolve(packagePrefix);
        if (!Files.isDirectory(base)) {
          continue;
        }
        try (Stream<Path> s = Files.walk(base)) {
          s.filter(f -> f.toString().endsWith(".class"))
              .forEach(
                  f -> {
                    String rel = d.relativize(f).toString().replace('\\', '/');
                    names.add(rel.substring(0, rel.length() - ".class".length()));
                  });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return names;
    }

    private Optional<ClassFile> load(String internalName) {
      String entry = internalName + ".class";
      try {
        for (Path d : dirs) {
          Path f = d.resolve(entry);
          if (Files.isRegularFile(f)) {
            return Optional.of(ClassFile.parse(Files.readAllBytes(f)));
          }
        }
        for (ZipFile z : jars) {
          ZipEntry e = z.getEntry(entry);
          if (e != null) {
            try (var in = z.getInputStream(e)) {
              return Optional.of(ClassFile.parse(in.readAllBytes()));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + entry, e);
      }
      return Optional.empty();
    }

    @Override
    public void close() {
      for (ZipFile z : jars) {
        try {
          z.close();
        } catch (IOException ignored) {
          // read-only jar; nothing to flush
        }
      }
      jars.clear();
    }
  }
}
