package io.edgevision.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import org.jspecify.annotations.Nullable;

/**
 * Extracts a native library bundled in a jar once and reuses the file on later launches, instead of
 * copying it to a new temporary file on every start (what {@code nu.pattern.OpenCV.loadLocally()}
 * does: 65 MB for OpenCV on linux-x86_64, about 0.8 s on a quiet machine). Internal.
 *
 * <p>The cache directory is {@value #PROPERTY} when set ({@code off} disables the cache), else
 * {@code $XDG_CACHE_HOME/edgevision/native}, else {@code ~/.cache/edgevision/native}; it is created
 * owner-only. An entry's directory name holds the jar entry's CRC-32 and size, so a different
 * library (another OpenCV version or build) never reuses a stale file; a cached file whose size
 * differs is extracted again. Extraction writes a temporary file in the same directory and renames
 * it atomically, so concurrent launches never load a half-written library. Thread-safe; callers
 * serialise loading anyway.
 */
public final class NativeLibraryCache {
  /** System property: the cache directory, or {@code off}. */
  public static final String PROPERTY = "edgevision.native.cache";

  private NativeLibraryCache() {}

  /**
   * @return the cache directory, or empty when disabled by {@value #PROPERTY}{@code =off}
   */
  public static Optional<Path> directory() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      return p.trim().equalsIgnoreCase("off")
          ? Optional.empty()
          : Optional.of(java.nio.file.Paths.get(p.trim()));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? java.nio.file.Paths.get(xdg)
            : java.nio.file.Paths.get(System.getProperty("user.home"), ".cache");
    return Optional.of(base.resolve("edgevision").resolve("native"));
  }

  /**
   * The classpath resource of OpenCV's library in the {@code org.openpnp:opencv} jar for this
   * platform, in that jar's layout ({@code nu/pattern/opencv/<os>/<arch>/<library file>}).
   *
   * @param libraryName the library's base name, e.g. {@code opencv_java490}
   * @return the resource name, or empty on a platform the jar does not cover
   */
  public static Optional<String> openPnpResource(String libraryName) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    @Nullable String osDir =
        os.startsWith("linux")
            ? "linux"
            : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "windows" : null;
    @Nullable String archDir =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "ARMv8";
          case "arm" -> "ARMv7";
          case "x86", "i386", "i686" -> "x86_32";
          default -> null;
        };
    if (osDir == null || archDir == null) {
      return Optional.empty();
    }
    return Optional.of(
        "nu/pattern/opencv/" + osDir + "/" + archDir + "/" + System.mapLibraryName(libraryName));
  }

  /**
   * Returns the cached copy of a classpath resource, extracting it first when it is missing or
   * differs.
   *
   * @param loader where to find the resource
   * @param resource its name
   * @param cacheDir the cache directory
   * @return the file, or empty when the resource does not exist
   * @throws IOException when the cache cannot be written
   */
  public static Optional<Path> extract(ClassLoader loader, String resource, Path cacheDir)
      throws IOException {
    @Nullable URL url = loader.getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    URLConnection conn = url.openConnection();
    conn.setUseCaches(false);
    long size;
    String id;
    if (conn instanceof JarURLConnection jar) {
      JarEntry e = jar.getJarEntry();
      size = e.getSize();
      id = Long.toHexString(e.getCrc()) + "-" + size;
    } else { // an exploded class path: key on the file's size and modification time
      size = conn.getContentLengthLong();
      id = Long.toHexString(conn.getLastModified()) + "-" + size;
    }
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    Path dir = cacheDir.resolve(fileName.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + id);
    Path target = dir.resolve(fileName);
    if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
      return Optional.of(target);
    }
    createOwnerOnly(cacheDir);
    createOwnerOnly(dir);
    Path tmp = Files.createTempFile(dir, fileName, ".part");
    try {
      try (InputStream in = conn.getInputStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      if (size >= 0 && Files.size(tmp) != size) {
        throw new IOException(
            "extracted " + Files.size(tmp) + " bytes of " + resource + ", expected " + size);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return Optional.of(target);
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) { // not POSIX (Windows)
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      // a concurrent launch created it
    }
  }
}
