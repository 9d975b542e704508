package io.edgevision.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The committed public-API baseline of a module: a sorted text dump of every public type of its
 * exported packages (as its {@code module-info.class} declares them) with their public and
 * protected constructors, methods and fields, generic signatures included. Each library module's
 * {@code ApiBaselineTest} compares its compiled classes with {@code api/<module>.api} at the
 * repository root, so that any change of the public API is a visible decision in the diff; {@code
 * -Dedgevision.api.update=true} rewrites the file instead.
 *
 * <p>Works offline, without a released artifact to compare against (what japicmp or revapi need).
 *
 * <p>Threading: stateless static methods.
 */
public final class ApiBaseline {
  /** System property that makes {@link #check} rewrite the baseline instead of comparing. */
  public static final String UPDATE_PROPERTY = "edgevision.api.update";

  /** The command that regenerates every baseline (printed in failure messages). */
  public static final String UPDATE_COMMAND =
      "./mvnw -B -ntp -q verify -Dedgevision.api.update=true "
          + "-Dtest=ApiBaselineTest -Dsurefire.failIfNoSpecifiedTests=false";

  private ApiBaseline() {}

  /**
   * Compares a module's public API with its baseline, or rewrites the baseline when {@value
   * #UPDATE_PROPERTY} is true.
   *
   * @param module the baseline's name ({@code api/<module>.api})
   * @param classesDir the module's compiled main classes (holding {@code module-info.class})
   * @throws AssertionError naming the added and removed lines, and the command to regenerate, when
   *     they differ
   */
  public static void check(String module, Path classesDir) {
    Path file = apiDir().resolve(module + ".api");
    List<String> now = dump(classesDir);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.getParent());
        Files.write(file, now, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError(
            "no API baseline "
                + file
                + " for module "
                + module
                + "; create it with: "
                + UPDATE_COMMAND);
      }
      List<String> before = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!before.equals(now)) {
        Set<String> added = new TreeSet<>(now);
        before.forEach(added::remove);
        Set<String> removed = new TreeSet<>(before);
        now.forEach(removed::remove);
        throw new AssertionError(
            "the public API of "
                + module
                + " differs from "
                + file
                + ":\n"
                + added.stream().map(l -> "  + " + l).collect(Collectors.joining("\n"))
                + (added.isEmpty() || removed.isEmpty() ? "" : "\n")
                + removed.stream().map(l -> "  - " + l).collect(Collectors.joining("\n"))
                + "\nIf the change is intended, regenerate the baselines and commit them:\n  "
                + UPDATE_COMMAND
                + "\n  git add api/");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The repository's {@code api/} directory: {@code edgevision.api.dir}, else {@code ../api} from a
   * module.
   */
  static Path apiDir() {
    String dir = System.getProperty("edgevision.api.dir", "");
    return dir.isBlank() ? Path.of("..", "api") : Path.of(dir);
  }

  /**
   * @param classesDir a module's compiled main classes
   * @return the sorted API lines of its exported packages
   */
  public static List<String> dump(Path classesDir) {
    ModuleDescriptor md;
    try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
      md = ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> exported =
        md.exports().stream()
            .filter(e -> !e.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    TreeSet<String> lines = new TreeSet<>();
    lines.add("module " + md.name() + " exports " + new TreeSet<>(exported));
    List<Path> classFiles;
    try (Stream<Path> s = Files.walk(classesDir)) {
      classFiles = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path p : classFiles) {
      String rel = classesDir.relativize(p).toString().replace('\\', '/');
      String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
      int dot = name.lastIndexOf('.');
      if (dot < 0 || !exported.contains(name.substring(0, dot)) || name.endsWith("package-info")) {
        continue;
      }
      Class<?> c;
      try {
        c = Class.forName(name, false, ApiBaseline.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load " + name + " to dump its API: " + e, e);
      }
      if (visible(c)) {
        describe(c, lines);
      }
    }
    return new ArrayList<>(lines);
  }

  private static boolean visible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers())
          || k.isAnonymousClass()
          || k.isLocalClass()
          || k.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static void describe(Class<?> c, Set<String> lines) {
    String type = c.getName();
    StringBuilder head = new StringBuilder(type).append(": ").append(c.toGenericString());
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      head.append(" extends ").append(sup.getTypeName());
    }
    Type[] ifs = c.getGenericInterfaces();
    if (ifs.length > 0) {
      head.append(c.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(ifs).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    lines.add(head.toString().replaceAll(" +", " "));
    boolean extensible = !Modifier.isFinal(c.getModifiers()) && !c.isEnum() && !c.isRecord();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (shown(k.getModifiers(), extensible) && !k.isSynthetic()) {
        lines.add(type + ": " + k.toGenericString());
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (shown(m.getModifiers(), extensible) && !m.isSynthetic() && !m.isBridge()) {
        lines.add(type + ": " + m.toGenericString());
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (shown(f.getModifiers(), extensible) && !f.isSynthetic()) {
        lines.add(type + ": " + f.toGenericString());
      }
    }
  }

  private static boolean shown(int modifiers, boolean extensible) {
    return Modifier.isPublic(modifiers) || (extensible && Modifier.isProtected(modifiers));
  }
}
