package io.edgevision.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryCacheTest {
  private static final String RESOURCE = "nu/pattern/opencv/linux/x86_64/libfake.so";

  private static Path jar(Path dir, String name, byte[] content) throws Exception {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(RESOURCE));
      out.write(content);
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void extractsOnceAndReusesTheFileOnLaterCalls(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("cache");
    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {jar(dir, "a.jar", new byte[1000]).toUri().toURL()}, null)) {
      Path first = NativeLibraryCache.extract(cl, RESOURCE, cache).orElseThrow();
      assertThat(first).hasFileName("libfake.so").hasSize(1000);
      Files.setLastModifiedTime(first, FileTime.fromMillis(1_000_000L));
      Path second = NativeLibraryCache.extract(cl, RESOURCE, cache).orElseThrow();
      assertThat(second).isEqualTo(first);
      // not rewritten: the marker time survives
      assertThat(Files.getLastModifiedTime(second).toMillis()).isEqualTo(1_000_000L);
      // no temporary files left beside it
      try (var s = Files.list(first.getParent())) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactly("libfake.so");
      }
    }
  }

  @Test
  void reExtractsATruncatedFile(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("cache");
    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {jar(dir, "a.jar", new byte[1000]).toUri().toURL()}, null)) {
      Path f = NativeLibraryCache.extract(cl, RESOURCE, cache).orElseThrow();
      Files.write(f, new byte[10]); // a crash mid-copy by an older loader, or tampering
      assertThat(NativeLibraryCache.extract(cl, RESOURCE, cache).orElseThrow()).hasSize(1000);
    }
  }

  @Test
  void anotherBuildOfTheLibraryGetsItsOwnEntry(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("cache");
    byte[] other = new byte[1000];
    other[0] = 1; // same size, different CRC
    try (URLClassLoader a =
            new URLClassLoader(
                new URL[] {jar(dir, "a.jar", new byte[1000]).toUri().toURL()}, null);
        URLClassLoader b =
            new URLClassLoader(new URL[] {jar(dir, "b.jar", other).toUri().toURL()}, null)) {
      Path fa = NativeLibraryCache.extract(a, RESOURCE, cache).orElseThrow();
      Path fb = NativeLibraryCache.extract(b, RESOURCE, cache).orElseThrow();
      assertThat(fa.getParent()).isNotEqualTo(fb.getParent());
      assertThat(Files.readAllBytes(fb)[0]).isEqualTo((byte) 1);
    }
  }

  @Test
  void aMissingResourceIsEmpty(@TempDir Path dir) throws Exception {
    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {jar(dir, "a.jar", new byte[1]).toUri().toURL()}, null)) {
      assertThat(NativeLibraryCache.extract(cl, "nope/libnope.so", dir.resolve("cache"))).isEmpty();
      assertThat(dir.resolve("cache")).doesNotExist();
    }
  }

  @Test
  void thePropertyChoosesOrDisablesTheDirectory(@TempDir Path dir) {
    String before = System.getProperty(NativeLibraryCache.PROPERTY);
    try {
      System.setProperty(NativeLibraryCache.PROPERTY, "off");
      assertThat(NativeLibraryCache.directory()).isEmpty();
      System.setProperty(NativeLibraryCache.PROPERTY, dir.toString());
      assertThat(NativeLibraryCache.directory()).contains(dir);
      System.clearProperty(NativeLibraryCache.PROPERTY);
      assertThat(
              NativeLibraryCache.directory()
                  .orElseThrow()
                  .endsWith(Path.of("edgevision", "native")))
          .isTrue();
    } finally {
      if (before == null) {
        System.clearProperty(NativeLibraryCache.PROPERTY);
      } else {
        System.setProperty(NativeLibraryCache.PROPERTY, before);
      }
    }
  }

  @Test
  void theOpenPnpLayoutCoversThisBuildMachine() {
    // the CI and development machines are linux x86-64; the jar has that library at this path
    Optional<String> r = NativeLibraryCache.openPnpResource("opencv_java490");
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(r).contains("nu/pattern/opencv/linux/x86_64/libopencv_java490.so");
      assertThat(OpenCv.class.getClassLoader().getResource(r.orElseThrow())).isNotNull();
    }
  }
}
